// The Kubernetes objects a recipe becomes for the kairos-operator: an OSArtifact
// (build.kairos.io/v1alpha2) and the Secrets it names. Only the fields this app writes or reads are
// typed; a manifest read from a file is checked against the real CRD schema (osartifact-validate.ts).

export const OSARTIFACT_API_VERSION = 'build.kairos.io/v1alpha2';
export const OSARTIFACT_KIND = 'OSArtifact';
/** The label the operator puts on an artifact's builder pod. */
export const ARTIFACT_POD_LABEL = 'build.kairos.io/artifact';
/** Where the recipe's own name is kept (a recipe name may hold "_", an object name may not). */
export const RECIPE_ANNOTATION = 'kairos-factory.io/recipe';

/** The volume the operator mounts the UKI signing keys from; the Secret behind it is the user's. */
export const UKI_KEYS_VOLUME = 'uki-keys';
/** The files the operator reads from the keys volume. */
export const UKI_KEY_FILES = ['PK.auth', 'KEK.auth', 'db.auth', 'db.key', 'db.pem', 'tpm2-pcr-private.pem'] as const;
/** The Secret key the cloud-config goes under (the operator's samples use it). */
export const CLOUD_CONFIG_KEY = 'userdata';
export const DOCKERFILE_KEY = 'Dockerfile';

export interface SecretRef {
  readonly name: string;
  readonly key?: string;
}

export interface OsArtifactImage {
  ref?: string;
  buildOptions?: {
    version: string;
    baseImage?: string;
    model?: string;
    trustedBoot?: boolean;
    kubernetesDistro?: string;
    kubernetesVersion?: string;
    fips?: boolean;
    kairosInitImage?: string;
  };
  ociSpec?: { ref?: SecretRef; templateValues?: Record<string, string>; templateValuesFrom?: SecretRef; buildContextVolume?: string };
  push?: boolean;
  buildImage?: { registry: string; repository: string; tag: string };
  imageCredentialsSecretRef?: SecretRef;
}

export interface OsArtifactArtifacts {
  arch?: 'amd64' | 'arm64';
  iso?: boolean;
  diskSize?: string;
  cloudImage?: boolean;
  azureImage?: boolean;
  gceImage?: boolean;
  netboot?: boolean;
  netbootURL?: string;
  cloudConfigRef?: SecretRef;
  uki?: { iso?: boolean; container?: boolean; efi?: boolean; keysVolume: string };
}

export interface OsArtifact {
  apiVersion: typeof OSARTIFACT_API_VERSION;
  kind: typeof OSARTIFACT_KIND;
  metadata: { generateName?: string; name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    image: OsArtifactImage;
    artifacts?: OsArtifactArtifacts;
    volumes?: Array<{ name: string; secret?: { secretName: string } }>;
  };
}

export interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: { name: string; labels?: Record<string, string> };
  type: 'Opaque';
  stringData: Record<string, string>;
}

/** Something the recipe asks that the operator cannot do (or that is left to the user), by field. */
export interface ExportNote {
  /** The recipe field ("artifacts.rpi", "kairosify.method"), or "" for the whole recipe. */
  readonly path: string;
  readonly message: string;
}

export interface OsArtifactExport {
  readonly artifact: OsArtifact;
  readonly secrets: ReadonlyArray<Secret>;
  readonly notes: ReadonlyArray<ExportNote>;
}
