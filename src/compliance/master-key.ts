/**
 * The master key that wraps every patient data key, read from the environment:
 * `MYMEDIC_MASTER_KEY` (base64 of 32 bytes) or `MYMEDIC_MASTER_KEY_FILE` (a file holding that text), plus,
 * while a rotation is under way, `MYMEDIC_PREVIOUS_MASTER_KEYS` / `_FILE` (the retired keys, separated by
 * commas or whitespace) so rows still wrapped under them stay readable until `rotateMasterKey` rewraps them.
 * Key material lives only in KeyObjects, which print and serialise as nothing.
 */
import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_BYTES } from './aes-gcm.ts';
import { MasterKeyInvalidError, MasterKeyMissingError } from './errors.ts';

export interface MasterKey {
  /** A fingerprint (HMAC of a constant under the key), stored beside each wrapped key; reveals nothing. */
  readonly id: string;
  readonly key: KeyObject;
}

export interface MasterKeys {
  /** Wraps every new data key; `rotateMasterKey` moves older rows under it. */
  readonly current: MasterKey;
  /** Retired keys still accepted for unwrapping. */
  readonly previous: readonly MasterKey[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LoadMasterKeysOptions {
  readonly env?: Environment;
  /**
   * The embedded quick start's data directory. Only when given, and only outside `NODE_ENV=production`, a
   * missing master key is replaced by a generated development key kept in `master-key.dev` there (mode 0600).
   */
  readonly developmentKeyDir?: string;
  /** Where the loud warnings go (never with key material). */
  readonly warn?: (message: string) => void;
}

export const DEVELOPMENT_KEY_FILE = 'master-key.dev';
const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Reads the master keys from the environment.
 *
 * @example
 * const keys = await loadMasterKeys({ developmentKeyDir: embedded ? dataDir : undefined });
 * const keyring = new PatientKeyring(engine, keys);
 */
export async function loadMasterKeys(options: LoadMasterKeysOptions = {}): Promise<MasterKeys> {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const currentText = await readSetting(env, 'MYMEDIC_MASTER_KEY', warn);
  const previousText = await readSetting(env, 'MYMEDIC_PREVIOUS_MASTER_KEYS', warn);
  const previous = (previousText ?? '')
    .split(/[\s,]+/)
    .filter((text) => text !== '')
    .map((text, i) => parseMasterKey(text, `MYMEDIC_PREVIOUS_MASTER_KEYS[${i}]`));
  const current =
    currentText !== undefined
      ? parseMasterKey(currentText.trim(), 'MYMEDIC_MASTER_KEY')
      : await developmentKey(env, options.developmentKeyDir, warn);
  return { current, previous: previous.filter((key) => key.id !== current.id) };
}

/** A master key from its base64 text; `source` names where it came from, for the error. */
export function parseMasterKey(base64: string, source: string): MasterKey {
  if (!BASE64_32_BYTES.test(base64)) {
    throw new MasterKeyInvalidError(`${source} must be the base64 of exactly 32 random bytes`, { source });
  }
  return masterKeyFromBytes(Buffer.from(base64, 'base64'));
}

export function masterKeyFromBytes(bytes: Uint8Array): MasterKey {
  if (bytes.length !== KEY_BYTES) throw new MasterKeyInvalidError('a master key is exactly 32 bytes');
  const id = `mk_${createHmac('sha256', bytes).update('mymedic.master-key-id.v1').digest('hex').slice(0, 24)}`;
  return { id, key: createSecretKey(Buffer.from(bytes)) };
}

/** A fresh random key in the form MYMEDIC_MASTER_KEY expects (for `mymedic keygen`-style tooling). */
export function generateMasterKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

async function readSetting(
  env: Environment,
  name: string,
  warn: (message: string) => void,
): Promise<string | undefined> {
  const inline = env[name];
  const file = env[`${name}_FILE`];
  if (inline && file)
    throw new MasterKeyInvalidError(`set ${name} or ${name}_FILE, not both`, { setting: name });
  if (inline) return inline;
  if (!file) return undefined;
  return readKeyFile(file, `${name}_FILE`, warn);
}

async function readKeyFile(path: string, source: string, warn: (message: string) => void): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    if (((await stat(path)).mode & 0o077) !== 0) {
      warn(`WARNING: master key file ${path} is readable by group or others; chmod 600 it.`);
    }
    return text.trim();
  } catch (error) {
    throw new MasterKeyInvalidError(`${source}: cannot read ${path}`, {
      source,
      path,
      cause: (error as NodeJS.ErrnoException).code,
    });
  }
}

async function developmentKey(
  env: Environment,
  directory: string | undefined,
  warn: (message: string) => void,
): Promise<MasterKey> {
  const missing =
    'no master key: set MYMEDIC_MASTER_KEY (base64 of 32 random bytes) or MYMEDIC_MASTER_KEY_FILE';
  if (directory === undefined) throw new MasterKeyMissingError(missing);
  if (env['NODE_ENV'] === 'production') {
    throw new MasterKeyMissingError(`${missing}; development keys are refused when NODE_ENV=production`, {
      nodeEnv: 'production',
    });
  }
  const path = join(directory, DEVELOPMENT_KEY_FILE);
  await mkdir(directory, { recursive: true });
  try {
    // 'wx' fails if the file exists, so two first starts cannot each write a different key.
    await writeFile(path, `${generateMasterKeyText()}\n`, { flag: 'wx', mode: 0o600 });
    warn(`WARNING: generated a DEVELOPMENT master key at ${path}.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  warn(
    `WARNING: patient data is encrypted under the development master key in ${path}. Anyone who can read ` +
      'that file can read patient data, and losing it loses the data. Never use it in production: set ' +
      'MYMEDIC_MASTER_KEY or MYMEDIC_MASTER_KEY_FILE.',
  );
  return parseMasterKey(await readKeyFile(path, DEVELOPMENT_KEY_FILE, warn), DEVELOPMENT_KEY_FILE);
}
