// The Review step's offline part: the "build offline" setting (the build then uses what the
// engine has and fails at once, naming what is missing), and the offline kit: export this recipe's
// images to one file here, import a kit made elsewhere. Both run as jobs, shown with their progress.
import { useState } from 'react';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { api } from '../api/api.js';
import { ErrorBox } from '../components/error-box.js';
import { JobPanel } from '../components/job-panel.js';
import { PathInput } from '../components/path-input.js';
import { useAction } from '../components/use-action.js';
import { useAppStore } from '../stores/app-store.js';

const joinPath = (folder: string | undefined, name: string): string => (folder ? `${folder.replace(/[\\/]+$/, '')}/${name}` : name);

export function OfflineKit({ recipe }: { readonly recipe: Recipe }) {
  const settings = useAppStore((s) => s.settings);
  const setApp = useAppStore((s) => s.set);
  const [exportPath, setExportPath] = useState<string | undefined>();
  const [importPath, setImportPath] = useState('');
  const [job, setJob] = useState<{ readonly id: string; readonly title: string } | undefined>();
  const [error, run] = useAction();
  const kitFile = exportPath ?? joinPath(settings?.outputRoot, `${recipe.name}.kit.tar`);

  const exportKit = () =>
    run(async () => {
      const { jobId } = await api.exportKit([recipe], kitFile);
      setJob({ id: jobId, title: 'Kit export' });
    });
  const importKit = () =>
    run(async () => {
      const { jobId } = await api.importKit(importPath.trim());
      setJob({ id: jobId, title: 'Kit import' });
    });

  return (
    <details className="offline-kit" data-testid="offline-kit">
      <summary>Offline builds and kits{settings?.offline ? ' (builds are offline)' : ''}</summary>
      <label className="check">
        <input
          type="checkbox"
          checked={settings?.offline ?? false}
          onChange={async (e) => run(async () => setApp({ settings: await api.setSettings({ offline: e.target.checked }) }))}
        />
        Build offline: never use the network (the recipe's image and the builder must be on the engine; an offline kit brings them)
      </label>
      <PathInput
        label="Kit file to write"
        hint="Every image this recipe needs to build offline, the recipe and a manifest, in one file. Build the recipe once here first."
        kind="file"
        value={kitFile}
        extensions={['tar']}
        onChange={setExportPath}
      />
      <div className="actions">
        <button type="button" className="secondary" disabled={kitFile.trim() === ''} onClick={() => void exportKit()}>
          Export offline kit
        </button>
      </div>
      <PathInput label="Kit to import" hint="Checked member by member against its SHA-256s before anything is loaded into the engine." kind="file" value={importPath} extensions={['tar']} onChange={setImportPath} />
      <div className="actions">
        <button type="button" className="secondary" disabled={importPath.trim() === ''} onClick={() => void importKit()}>
          Import kit
        </button>
      </div>
      <ErrorBox error={error} />
      {job && <JobPanel key={job.id} jobId={job.id} title={job.title} />}
    </details>
  );
}
