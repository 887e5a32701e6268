// `import m from './x.yaml?manifest'`: a manifest read at build time (vite.config.ts, compiledManifests).
declare module '*.yaml?manifest' {
  const manifest: import('./engine').Manifest;
  export default manifest;
}
