export interface TlsCertificate {
  key: string;
  cert: string;
}

/** A fresh self-signed certificate for 127.0.0.1 / localhost / ::1, valid for 7 days. */
export async function createTlsCertificate(): Promise<TlsCertificate> {
  // Loaded only when TLS is asked for: the certificate library is large and slow to load.
  const { default: selfsigned } = await import("selfsigned");
  const notBeforeDate = new Date(Date.now() - 60_000);
  const result = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 7 * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { key: result.private, cert: result.cert };
}
