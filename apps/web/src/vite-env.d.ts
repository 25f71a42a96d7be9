/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

interface ImportMetaEnv {
  /** A stamp for this build (a version or commit), shown nowhere but the page's markup. */
  readonly VITE_APP_BUILD?: string;
}
