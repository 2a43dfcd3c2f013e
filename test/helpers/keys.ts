import { generateKeyPairSync } from "node:crypto";

let cached: string | undefined;
/** A throwaway RSA private key (PKCS#1 PEM): Probot signs its App JWT with it locally. */
export function privateKey(): string {
  return (cached ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString());
}
