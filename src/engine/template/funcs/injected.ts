/**
 * Services that sprig's random and crypto functions need and that the pure engine cannot provide
 * (keys, certificates, scrypt, bcrypt, AES with random IVs). A host passes them in the render's
 * injected services under the key `crypto`; `src/lib/template-host.ts` is the Node implementation.
 * Randomness itself comes from `injected.random` / `injected.randomBytes` (see funcs-api.ts).
 */

/** sprig's certificate value: templates read `.Cert` and `.Key` (PEM). */
export interface CertPair {
  readonly Cert: string;
  readonly Key: string;
}

export interface TemplateCrypto {
  /** Master Password algorithm (sprig derivePassword). */
  derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string;
  /** PEM private key of type "rsa", "dsa", "ecdsa" or "ed25519"; throws "Unknown type X" otherwise. */
  genPrivateKey(type: string): string;
  genCA(cn: string, days: number, keyPem?: string): CertPair;
  genSelfSignedCert(cn: string, ips: string[], dns: string[], days: number, keyPem?: string): CertPair;
  genSignedCert(
    cn: string,
    ips: string[],
    dns: string[],
    days: number,
    ca: CertPair,
    keyPem?: string,
  ): CertPair;
  /** Parses base64 PEM cert and key; throws "unable to decode certificate" / "unable to decode private key". */
  buildCustomCert(b64Cert: string, b64Key: string): CertPair;
  encryptAES(password: string, plaintext: string): string;
  decryptAES(password: string, b64: string): string;
  bcrypt(input: string): string;
  htpasswd(user: string, password: string, algo: string): string;
}

export const CRYPTO_KEY = 'crypto';
