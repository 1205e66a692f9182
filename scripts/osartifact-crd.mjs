// Turns the kairos-operator's OSArtifact CRD (YAML, as published upstream) into the JSON the
// validator loads: node scripts/osartifact-crd.mjs path/to/osartifact-crd.yaml
// The schema is the real one, converted and never edited by hand; a newer operator release is a
// new run of this script.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: node scripts/osartifact-crd.mjs OSARTIFACT-CRD.yaml\n');
  process.exit(2);
}
const crd = parse(readFileSync(source, 'utf8'));
if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.names?.kind !== 'OSArtifact') {
  process.stderr.write(`${source} is not the OSArtifact CustomResourceDefinition\n`);
  process.exit(1);
}
writeFileSync(new URL('../src-shared/kubernetes/osartifact-crd.json', import.meta.url), `${JSON.stringify(crd)}\n`);
