import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * A private certificate authority and one server certificate for the loopback names, for the
 * emulators of the demo and the tests: the Graph SDK and MSAL insist on https:// hosts.
 */
export interface DevCertificates {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** Where `caPem` is on disk, for NODE_EXTRA_CA_CERTS of child processes. */
  readonly caFile: string;
}

const LOOPBACK_NAMES = ['localhost'];
const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'];

/** Reuses the certificates in `directory` when present, so that processes started later trust them. */
export function ensureDevCertificates(directory: string): DevCertificates {
  const files = {
    caFile: join(directory, 'ca.pem'),
    certFile: join(directory, 'server.pem'),
    keyFile: join(directory, 'server-key.pem'),
  };
  if (!existsSync(files.caFile) || !existsSync(files.certFile) || !existsSync(files.keyFile)) {
    mkdirSync(directory, { recursive: true });
    const generated = generateDevCertificates();
    writeFileSync(files.keyFile, generated.keyPem, { mode: 0o600 });
    writeFileSync(files.certFile, generated.certPem);
    writeFileSync(files.caFile, generated.caPem);
  }
  return {
    caPem: readFileSync(files.caFile, 'utf8'),
    certPem: readFileSync(files.certFile, 'utf8'),
    keyPem: readFileSync(files.keyFile, 'utf8'),
    caFile: files.caFile,
  };
}

/**
 * A CA of its own and a loopback certificate that also authenticates as a client: the nodes of a
 * TLS Redis Cluster present theirs to each other on the cluster bus. In memory; nothing trusts it.
 */
export function generateNodeCertificates(): Omit<DevCertificates, 'caFile'> {
  return generateDevCertificates({ clientAuth: true });
}

function generateDevCertificates(usage: { clientAuth?: boolean } = {}): Omit<DevCertificates, 'caFile'> {
  const caKeys = rsaKeyPair();
  const ca = certificateFor(caKeys.publicKey, [{ name: 'commonName', value: 'dirsync development CA' }]);
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = rsaKeyPair();
  const server = certificateFor(serverKeys.publicKey, [{ name: 'commonName', value: 'localhost' }]);
  server.setIssuer(ca.subject.attributes);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, ...(usage.clientAuth && { clientAuth: true }) },
    {
      name: 'subjectAltName',
      altNames: [
        ...LOOPBACK_NAMES.map((value) => ({ type: 2, value })),
        ...LOOPBACK_ADDRESSES.map((ip) => ({ type: 7, ip })),
      ],
    },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(server),
    keyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    privateKey: forge.pki.privateKeyFromPem(
      pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    ),
  };
}

function certificateFor(
  publicKey: forge.pki.rsa.PublicKey,
  subject: forge.pki.CertificateField[],
): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  const now = Date.now();
  certificate.validity.notBefore = new Date(now - 60_000);
  certificate.validity.notAfter = new Date(now + 365 * 24 * 3600_000);
  certificate.setSubject(subject);
  return certificate;
}
