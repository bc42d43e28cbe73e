/** Where evidence bytes live, content-addressed by SHA-256 (lower-case hex). */
export interface FileStore {
  /** Keeps the bytes under their hash, atomically (never half-written, never overwritten); a second put of a hash it has is a no-op. */
  put(sha256: string, bytes: Buffer): Promise<void>;
  /** The bytes, or undefined when it has none under that hash. */
  get(sha256: string): Promise<Buffer | undefined>;
  has(sha256: string): Promise<boolean>;
  /** Removes them (expired unattached uploads); no error when absent. */
  remove(sha256: string): Promise<void>;
}
