export interface StorageInfo {
  /** Bytes used by this origin (all storage kinds), as the browser estimates it. */
  usage: number;
  quota: number;
  /** Whether the browser promised not to evict this origin's data. */
  persisted: boolean;
}

export async function storageInfo(): Promise<StorageInfo> {
  const s = navigator.storage;
  const est = await s.estimate();
  return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted: s.persisted ? await s.persisted() : false };
}

/** Asks the browser to keep the data under storage pressure; resolves to whether it agreed. */
export async function requestPersistence(): Promise<boolean> {
  return navigator.storage.persist ? navigator.storage.persist() : false;
}
