import { createContext, useContext } from 'react';
import type { SchemaError } from '../../schema/index.ts';
import { formatPath, type Path } from './path.ts';

const EMPTY: ReadonlyMap<string, SchemaError[]> = new Map();
export const ValidationContext = createContext<ReadonlyMap<string, SchemaError[]>>(EMPTY);

export function usePathErrors(path: Path): SchemaError[] {
  return useContext(ValidationContext).get(formatPath(path)) ?? [];
}
