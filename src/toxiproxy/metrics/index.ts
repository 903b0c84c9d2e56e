/** `/metrics` of the embedded server: Toxiproxy's Prometheus names, switched on by its flags. */
export { ProxyByteCounters, type LinkLabels } from './proxy-bytes.js';
export { runtimeFamilies } from './runtime.js';
export { EXPOSITION_CONTENT_TYPE, goFloat, renderFamilies, type Family, type Sample } from './exposition.js';
