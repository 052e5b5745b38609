// Live updates: server-sent events announce committed changes; views refetch on each one.
import { useEffect, useState } from 'preact/hooks';
import { api } from './lib.js';

const RETRY_MS = 3000;

/**
 * A counter that goes up each time the server says read models changed, and the stream's state.
 * EventSource sends no Authorization header, so each (re)connection trades the bearer token for a
 * one-minute ticket that opens this stream only.
 */
export function useLiveVersion(token) {
  const [version, setVersion] = useState(0);
  const [state, setState] = useState('connecting');
  useEffect(() => {
    let source = null;
    let retry = null;
    let stopped = false;
    const connect = async () => {
      try {
        const { ticket } = await api(token, '/api/dashboard/stream-tickets', { method: 'POST' });
        if (stopped) return;
        source = new EventSource(`/api/dashboard/stream?ticket=${encodeURIComponent(ticket)}`);
        source.addEventListener('ready', () => setState('live'));
        source.addEventListener('changed', () => setVersion((v) => v + 1));
        source.onerror = () => {
          // The ticket has expired by the browser's own retry: close and start again with a new one.
          source.close();
          setState('reconnecting');
          retry = setTimeout(connect, RETRY_MS);
        };
      } catch {
        setState('reconnecting');
        if (!stopped) retry = setTimeout(connect, RETRY_MS);
      }
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [token]);
  return { version, state };
}

/** Fetches `path` now, again whenever `version` moves, and keeps the last answer while it reloads. */
export function useApi(token, path, version) {
  const [result, setResult] = useState({ data: null, error: null });
  useEffect(() => {
    let current = true;
    api(token, path)
      .then((data) => current && setResult({ data, error: null }))
      .catch((error) => current && setResult((previous) => ({ data: previous.data, error })));
    return () => {
      current = false;
    };
  }, [token, path, version]);
  return result;
}
