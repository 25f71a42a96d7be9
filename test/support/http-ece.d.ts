declare module 'http_ece' {
  interface EceParams {
    version?: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    privateKey?: import('node:crypto').ECDH;
    dh?: string | Buffer;
    authSecret?: string | Buffer;
    key?: string | Buffer;
    salt?: string | Buffer;
    keyid?: string;
    rs?: number;
  }
  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;
}
