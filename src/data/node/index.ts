/** Node-only data API (file system store, file loaders, embedded data from node_modules). */
export { createFsStore } from './fs-store.ts';
export { FsFiles, FsCatalog } from './fs-backend.ts';
export { loadCsvFile, loadSeriesFile } from './load.ts';
export { loadEmbeddedBars, loadEmbeddedSeries, vegaDataDir } from './embedded.ts';
