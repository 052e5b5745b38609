import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import pino from 'pino';
import { AppModule, AppOptions } from './app.module';
import { Configuration } from './config/configuration';
import { PinoNestLogger } from './observability/logger';
import { httpRequestDuration } from './observability/metrics';
import { problem, PROBLEM_CONTENT_TYPE } from './http/problem';

const ONE_MIB = 1024 * 1024;

export async function createApp(config: Configuration, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'missing-children' } });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: ONE_MIB,
    // Fastify's request logs carry method, URL (ids only) and status, never bodies: bodies hold names and notes.
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // A start-up failure reaches main(), which says it in one plain line, instead of Nest exiting.
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // The API speaks JSON only: any other body type is refused before it is parsed.
  fastify.addHook('onRequest', async (request, reply) => {
    const type = request.headers['content-type'];
    if (type !== undefined && request.method !== 'GET' && !/^application\/json\s*(;|$)/i.test(type)) {
      await reply
        .status(415)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .send(problem(415, 'http-415', 'Unsupported media type', `send application/json, not ${type}`));
    }
  });
  // The stream's URL carries a ticket: its requests are not logged at info, so the ticket stays out of the logs.
  fastify.addHook('onRoute', (route) => {
    if (route.url === '/api/dashboard/stream') route.logLevel = 'warn';
  });
  fastify.addHook('onResponse', async (request, reply) => {
    httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Missing children case management')
      .setDescription('Missing episodes, repeat-episode escalation and casework. Errors are application/problem+json.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document);
  await serveDashboardPage(app);
  app.enableShutdownHooks();
  await app.init();
  await fastify.ready();
  return app;
}

/**
 * The dashboard page at `/`: static ES modules, with Preact and htm served from their packages'
 * dist folders only. One route per file (no wildcard), so unknown paths keep the API's 404 problem.
 * Paths are from the working directory, like the policy and directory files.
 */
async function serveDashboardPage(app: NestFastifyApplication): Promise<void> {
  const from = (...parts: string[]) => join(process.cwd(), ...parts);
  await app.register(fastifyStatic, { root: from('web'), prefix: '/', wildcard: false, index: ['index.html'] });
  const vendor: [string, string][] = [
    ['/vendor/preact/', from('node_modules', 'preact', 'dist')],
    ['/vendor/preact-hooks/', from('node_modules', 'preact', 'hooks', 'dist')],
    ['/vendor/htm/', from('node_modules', 'htm', 'dist')],
  ];
  for (const [prefix, root] of vendor) await app.register(fastifyStatic, { root, prefix, wildcard: false, decorateReply: false });
}
