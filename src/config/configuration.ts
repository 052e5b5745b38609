import { join, resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/**
 * Every setting comes from the environment, is validated once at start, and a bad one stops the
 * service with one line naming the variable and what is wrong with it.
 */
export class Configuration {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsString()
  HOST = '0.0.0.0';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** A PostgreSQL server; when unset, embedded PGlite under DATA_DIR. */
  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL?: string;

  /**
   * Connections to PostgreSQL this instance may hold (requests and consumers share them). Under
   * load every report holds one for a few statements in a row, so a full pool is what makes
   * requests wait; the server's max_connections bounds the sum over instances.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  DATA_DIR = './data';

  @IsIn(['sql', 'kurrentdb'])
  EVENT_STORE: 'sql' | 'kurrentdb' = 'sql';

  @IsOptional()
  @IsString()
  KURRENTDB_URL?: string;

  /** HS256 key for tokens from `npm run token`; generated under DATA_DIR when unset outside production. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /**
   * The force's identity provider (OIDC issuer URL). When set, bearer tokens must be signed by a key
   * from its JWKS (found through /.well-known/openid-configuration) and local HS256 tokens are refused.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OIDC_ISSUER?: string;

  /** The audience (`aud`) the identity provider puts in tokens meant for this service. */
  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string;

  /** The claims of the identity provider's tokens that carry the role and the district. */
  @IsString()
  OIDC_ROLE_CLAIM = 'role';

  @IsString()
  OIDC_DISTRICT_CLAIM = 'district';

  /** Browser origins allowed to call the API, comma-separated; unset: none (same origin only). */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /**
   * Behind a reverse proxy: whom to trust for the client's address (X-Forwarded-For), as Fastify's
   * trustProxy takes it: `true` (any), or the proxies' addresses/CIDRs separated by commas. Unset: nobody,
   * the address is the connection's. The rate limit and the audit log use that address.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /** Requests per minute from one address before 429 answers. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /**
   * Wraps every child's data key (the keys that encrypt personal fields in events); generated
   * under DATA_DIR when unset outside production. Losing it loses every child's personal data.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'DATA_ENCRYPTION_KEY must be at least 32 characters' })
  DATA_ENCRYPTION_KEY?: string;

  /** BullMQ's Redis: queues for e-mails and deadlines. It must run with maxmemory-policy noeviction. */
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every BullMQ key, so several deployments can share one Redis. */
  @IsString()
  @MinLength(1)
  QUEUE_PREFIX = 'mfh';

  /** Where e-mail goes; unset: .eml files under OUTBOX_DIR. */
  @IsOptional()
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  @IsOptional()
  @IsString()
  OUTBOX_DIR?: string;

  @IsString()
  ESCALATION_POLICY_FILE = 'config/escalation-policy.json';

  /** Who receives escalations in each district: LSCB lead, coordinators, supervisors, senior officers by tier. */
  @IsString()
  DIRECTORY_FILE = 'config/directory.json';

  /** The address people open from an e-mail; links point at the child's page there. */
  @IsUrl({ require_tld: false, require_protocol: true })
  DASHBOARD_URL = 'http://localhost:3000';

  /** First retry of a failed e-mail after this, doubling each time. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  NOTIFICATION_BACKOFF_MS = 60_000;

  /** The force's districts, each with its own local authority and LSCB; comma-separated. */
  @IsString()
  @MinLength(1)
  DISTRICTS = 'Barnsley,Doncaster,Rotherham,Sheffield';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Logs to this file (appended, written synchronously) instead of stdout; the test suites keep theirs this way. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  LOG_FILE?: string;

  get districts(): string[] {
    return this.DISTRICTS.split(',').map((district) => district.trim()).filter(Boolean);
  }

  get trustProxy(): boolean | string[] {
    const value = this.TRUST_PROXY?.trim();
    if (!value || value === 'false') return false;
    return value === 'true' ? true : value.split(',').map((address) => address.trim()).filter(Boolean);
  }

  get corsOrigins(): string[] {
    return (this.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  }

  get dataDir(): string {
    return resolve(this.DATA_DIR);
  }

  get outboxDir(): string {
    return resolve(this.OUTBOX_DIR ?? join(this.DATA_DIR, 'outbox'));
  }

  get pgliteDir(): string {
    return resolve(this.DATA_DIR, 'pglite');
  }
}

export class ConfigurationError extends Error {}

export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  // The variables are the validated properties of Configuration; the rest of the environment is not ours.
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(Configuration, '', true, false)
      .map((rule) => rule.propertyName),
  );
  const given = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.has(key) && value !== ''));
  const config = plainToInstance(Configuration, given);
  const [error] = validateSync(config, { forbidUnknownValues: false });
  if (error) {
    const reason = Object.values(error.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigurationError(`configuration: ${error.property}=${JSON.stringify(env[error.property])}: ${reason}`);
  }
  if (config.EVENT_STORE === 'kurrentdb' && !config.KURRENTDB_URL) {
    throw new ConfigurationError('configuration: EVENT_STORE=kurrentdb needs KURRENTDB_URL (e.g. kurrentdb://localhost:2113?tls=false)');
  }
  if (config.OIDC_ISSUER && !config.OIDC_AUDIENCE) {
    throw new ConfigurationError('configuration: OIDC_ISSUER needs OIDC_AUDIENCE (the audience of tokens meant for this service)');
  }
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET && !config.OIDC_ISSUER) {
    throw new ConfigurationError('configuration: production needs OIDC_ISSUER (the force identity provider) or JWT_SECRET (the key that verifies bearer tokens)');
  }
  if (config.NODE_ENV === 'production' && !config.DATA_ENCRYPTION_KEY) {
    throw new ConfigurationError(
      'configuration: DATA_ENCRYPTION_KEY must be set in production (the key that wraps the keys of personal data in events)',
    );
  }
  return config;
}
