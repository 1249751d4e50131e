// Upstream pages that explain the policies behind the findings. Hovers, diagnostics and docs link here
// and explain the rule in the project's own words; no upstream text is copied.

/** CRI API version skew policy: which kubelet and runtime versions must work together. */
export const CRI_SKEW_POLICY_URL = 'https://www.kubernetes.dev/docs/code/cri-api-version-skew-policy/';

/** Kubernetes feature development and container runtimes: API design and rollout rules for CRI changes. */
export const CRI_DEV_POLICY_URL = 'https://www.kubernetes.dev/docs/code/cri-api-dev-policies/';

/** What the Container Runtime Interface is. */
export const CRI_CONCEPT_URL = 'https://kubernetes.io/docs/concepts/architecture/cri/';

/** CRI validation tests (critest) in cri-tools: every new API needs one. */
export const CRITEST_VALIDATION_URL = 'https://github.com/kubernetes-sigs/cri-tools/blob/master/docs/validation.md';

/**
 * The protobuf language specification: what the binder's syntax and binding problems (not rules of cri-compat's
 * own, and reported by protoc too) link to. CRI's api.proto is proto3.
 */
export const PROTOBUF_SPEC_URL = 'https://protobuf.dev/reference/protobuf/proto3-spec/';

/** The cri-api repository, whose `v0.N.M` tags are the Go module releases. */
export const CRI_API_REPO_URL = 'https://github.com/kubernetes/cri-api';

/** Where `api.proto` lives in the cri-api repository, per major API version. */
export const CRI_API_PROTO_PATHS = {
  'runtime.v1': 'pkg/apis/runtime/v1/api.proto',
  'runtime.v1alpha2': 'pkg/apis/runtime/v1alpha2/api.proto',
} as const;

/** A browsable link to `api.proto` at a cri-api tag, e.g. `criApiFileUrl('v0.36.3')`. */
export function criApiFileUrl(tag: string, path: string = CRI_API_PROTO_PATHS['runtime.v1']): string {
  return `${CRI_API_REPO_URL}/blob/${encodeURIComponent(tag)}/${path}`;
}
