/** react-query key of the stored-datasets catalog, shared by the Data page and the template gallery. */
export const DATASETS_KEY = ['datasets'] as const;
