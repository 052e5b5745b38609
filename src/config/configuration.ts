import { resolve } from 'node:path';
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

  /** The force's districts, each with its own local authority and LSCB; comma-separated. */
  @IsString()
  @MinLength(1)
  DISTRICTS = 'Barnsley,Doncaster,Rotherham,Sheffield';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  get districts(): string[] {
    return this.DISTRICTS.split(',').map((district) => district.trim()).filter(Boolean);
  }

  get dataDir(): string {
    return resolve(this.DATA_DIR);
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
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    throw new ConfigurationError('configuration: JWT_SECRET must be set in production (the key that verifies bearer tokens)');
  }
  return config;
}
