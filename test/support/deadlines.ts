import { Queue } from 'bullmq';
import type { Deadline } from '../../src/escalation/deadline-queue';
import type { RunningApp } from './test-app';

/** Reads until `done` holds or the time is up, then gives back the last value read (the test's expect says what was wrong). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Lets the deadlines still waiting in the app's BullMQ queue that `match` picks run out now, as if
 * their time had come, and waits until each has run. Resolves with how many it fired.
 */
export async function fireDeadlinesNow(running: RunningApp, match: (deadline: Deadline) => boolean): Promise<number> {
  const queue = new Queue<Deadline>('deadlines', { connection: { url: running.config.REDIS_URL }, prefix: running.config.QUEUE_PREFIX });
  try {
    const jobs = (await queue.getDelayed()).filter((job) => match(job.data));
    for (const job of jobs) await job.promote();
    const states = await eventually(
      () => Promise.all(jobs.map((job) => queue.getJobState(job.id!))),
      (all) => all.every((state) => state === 'completed'),
    );
    if (!states.every((state) => state === 'completed')) throw new Error(`deadline jobs did not complete: ${states.join(', ')}`);
    return jobs.length;
  } finally {
    await queue.close();
  }
}
