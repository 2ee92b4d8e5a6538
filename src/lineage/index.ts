/** The framework-free lineage renderer (see view.ts). */
export * from './types';
export { LineageView } from './view';
