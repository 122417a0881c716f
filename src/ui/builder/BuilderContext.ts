import { createContext, useContext } from 'react';

/** What deep builder controls need from the rest of the document to offer sensible choices. */
export interface BuilderInfo {
  params: Readonly<Record<string, { default?: number }>>;
  universe: readonly string[];
  strategyIds: readonly string[];
  /** Inside a universe rule, where "$asset" names the candidate being evaluated. */
  inRule: boolean;
}

export const BuilderContext = createContext<BuilderInfo>({ params: {}, universe: [], strategyIds: [], inRule: false });

export function useBuilder(): BuilderInfo {
  return useContext(BuilderContext);
}
