import { createContext, useContext } from 'react';

/** What deep builder controls need from the rest of the document to offer sensible choices. */
export interface BuilderInfo {
  params: Readonly<Record<string, { default?: number }>>;
  universe: readonly string[];
  strategyIds: readonly string[];
  /** Inside a universe rule, where "$asset" names the candidate being evaluated. */
  inRule: boolean;
  /** External series stored on this device (the Data page's series import), offered by the indicator picker. */
  series: readonly StoredSeries[];
}

/** One stored series name: global (one series for all symbols) or per symbol, with the symbols that have it. */
export interface StoredSeries {
  name: string;
  global: boolean;
  symbols: readonly string[];
}

export const BuilderContext = createContext<BuilderInfo>({ params: {}, universe: [], strategyIds: [], inRule: false, series: [] });

export function useBuilder(): BuilderInfo {
  return useContext(BuilderContext);
}
