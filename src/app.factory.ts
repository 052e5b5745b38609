import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import pino from 'pino';
import { AppModule, AppOptions } from './app.module';
import { Configuration } from './config/configuration';
import { requestForLog } from './observability/log-safety';
import { PinoNestLogger } from './observability/logger';
import { httpRequestDuration } from './observability/metrics';
import { problem, PROBLEM_CONTENT_TYPE } from './http/problem';

const ONE_MIB = 1024 * 1024;

export async function createApp(config: Configuration, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const logging: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { service: 'missing-children' },
    serializers: { req: requestForLog },
  };
  // Synchronous writes to the file: every line is there the moment it is logged, even if the process then ends.
  const logger = config.LOG_FILE ? pino(logging, pino.destination({ dest: config.LOG_FILE, sync: true, mkdir: true })) : pino(logging);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: ONE_MIB,
    trustProxy: config.trustProxy,
    // Request logs carry method, route pattern, ids and status, never bodies or raw URLs: they can hold names and notes.
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // A start-up failure reaches main(), which says it in one plain line, instead of Nest exiting.
    abortOnError: false,
  });
  // Per client address, before the body is read or the token checked: a flood costs little.
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `at most ${context.max} requests a minute; retry in ${context.after}`,
    }),
  });
  await app.register(helmet, {
    // Swagger UI (/api/docs) needs its inline script and styles; nothing else is served inline.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:'],
        scriptSrc: [`'self'`, `'unsafe-inline'`],
      },
    },
  });
  // Browsers on other origins are refused unless configured: the API is for the force's own clients.
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PATCH'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      maxAge: 600,
    });
  }
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
