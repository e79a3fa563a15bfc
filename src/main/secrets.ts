// Runs in: the Electron main process (pure: works on a SafeStoragePort, not on Electron).
// Seals the session token with the OS keyring through safeStorage when there is one.
// Where there is none (safeStorage unavailable, or Linux's 'basic_text' backend, which
// "encrypts" with a key hard-coded in Chromium), the token is stored as plain text and
// that is said once in the log: the app never claims protection it does not have.
import type { Logger } from './log.js';
import type { SafeStoragePort } from './ports.js';
import type { TokenProtection } from './schemas.js';

export interface TokenCipher {
  /** How a token sealed now is protected. */
  readonly protection: TokenProtection;
  seal(token: string): string;
  /** Throws if the stored value cannot be opened (keyring changed, file edited). */
  open(stored: string, protection: TokenProtection): string;
}

export function createTokenCipher(safeStorage: SafeStoragePort, platform: NodeJS.Platform, log: Logger): TokenCipher {
  const reason = unprotectedReason(safeStorage, platform);
  if (reason) {
    log.warnOnce('token-plaintext', `${reason}: the session token is stored unencrypted in the settings file`);
  }
  const protection: TokenProtection = reason ? 'plaintext' : 'safeStorage';
  return {
    protection,
    seal(token) {
      return protection === 'safeStorage' ? safeStorage.encryptString(token).toString('base64') : token;
    },
    open(stored, storedProtection) {
      if (storedProtection === 'plaintext') return stored;
      if (protection !== 'safeStorage') throw new Error('the token was sealed with an OS keyring that is not available now');
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    },
  };
}

/** Why safeStorage would not really protect the token here, or null if it would. */
export function unprotectedReason(safeStorage: SafeStoragePort, platform: NodeJS.Platform): string | null {
  let available: boolean;
  try {
    available = safeStorage.isEncryptionAvailable();
  } catch {
    available = false;
  }
  if (!available) return 'no OS keyring is available to safeStorage';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    // 'unknown' means it was asked before the app was ready; do not assume the best.
    if (backend === 'basic_text' || backend === 'unknown') {
      return `safeStorage uses the '${backend}' backend (no Secret Service or KWallet found)`;
    }
  }
  return null;
}
