import { useQuery } from '@tanstack/react-query';
import type { DataClient } from './client.ts';
import { DATASETS_KEY } from './keys.ts';

/** The stored datasets, after the embedded sample data are stored (so they count as there on a first visit). */
export function useCatalog(data: DataClient | null, ensureData?: () => Promise<void>) {
  return useQuery({
    queryKey: DATASETS_KEY,
    queryFn: async () => {
      await ensureData?.().catch(() => undefined);
      return data!.list();
    },
    enabled: data !== null,
  });
}
