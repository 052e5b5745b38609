import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { SQL_DATABASE } from '../database/sql-database';
import type { SqlDatabase } from '../database/sql-database';
import { READ_MODEL_CHANGED_CHANNEL } from '../event-store/subscriptions/subscription-runner';

// Bursts of commits (a report convenes a meeting, raises and notifies an escalation) become one
// message, so pages refetch once, not once per projection batch.
const COALESCE_MS = 150;
// A comment line now and then keeps proxies from closing an idle stream.
const HEARTBEAT_MS = 25_000;

/**
 * Tells every open dashboard that read models changed. Fed by the NOTIFY the projections send
 * after they commit, so it hears commits made by whichever instance owns a projection, and never
 * announces a change a page could not yet read.
 */
@Injectable()
export class DashboardLiveUpdates implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DashboardLiveUpdates.name);
  private readonly streams = new Set<ServerResponse>();
  private readonly changed = new Set<string>();
  private pending: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopListening: (() => Promise<void>) | null = null;

  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async onApplicationBootstrap(): Promise<void> {
    this.stopListening = await this.db.listen(READ_MODEL_CHANGED_CHANNEL, (readModels) => {
      for (const readModel of readModels.split(',')) this.readModelChanged(readModel);
    });
    this.heartbeat = setInterval(() => this.send(': still here\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.pending) clearTimeout(this.pending);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    await this.stopListening?.();
  }

  /** Holds `stream` open as text/event-stream until the client goes. */
  open(stream: ServerResponse): void {
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    stream.write('retry: 3000\nevent: ready\ndata: {}\n\n');
    this.streams.add(stream);
    stream.on('close', () => this.streams.delete(stream));
  }

  get openStreams(): number {
    return this.streams.size;
  }

  private readModelChanged(readModel: string): void {
    // '' after the listener reconnected: something may have changed while it was away.
    this.changed.add(readModel || '*');
    this.pending ??= setTimeout(() => {
      this.pending = null;
      const readModels = [...this.changed].sort();
      this.changed.clear();
      if (readModels.length > 0) this.send(`event: changed\ndata: ${JSON.stringify({ readModels })}\n\n`);
    }, COALESCE_MS);
  }

  private send(message: string): void {
    for (const stream of this.streams) {
      try {
        stream.write(message);
      } catch (error) {
        this.logger.warn(`dropping a dashboard stream: ${(error as Error).message}`);
        this.streams.delete(stream);
      }
    }
  }
}
