import { loadLabTools, type LabState } from '../../store/labStore';
import { checkLabRecord } from '../../store/labRecord';
import { SHARE_LIMITS } from '../../store/share';
import { encodeShareLink } from '../../store/shareEncode';
import { activeTaskChecks, currentLesson } from '../lessons/session';
import { editorStoreFor } from './editorContent';
import { downloadBlob } from '../download';

// What the Share and Export buttons do (./ShareControls.tsx), loaded when one is first pressed.

const download = (name: string, text: string, type: string) => downloadBlob(new Blob([text], { type }), name);

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Copies a link to the lab (with the lesson step and the editor's content) to the clipboard. `link`
 * is set when the browser refused the clipboard, for the learner to copy by hand.
 */
export async function shareLab(
  record: LabState['record'],
  slot: string,
): Promise<{ readonly status: string; readonly link: string | null }> {
  // A link must open again: a lab past the record's limits would be refused by whoever opens it.
  const check = checkLabRecord(record);
  if (!check.ok)
    return {
      status: `This lab is too large to share (${check.error}). Export its manifests instead.`,
      link: null,
    };
  const fragment = encodeShareLink(record, {
    lesson: currentLesson(),
    editorYaml: editorStoreFor(slot).getState().yaml,
  });
  if (fragment.length > SHARE_LIMITS.maxEncoded)
    return { status: 'This lab is too large to fit in a link. Export its manifests instead.', link: null };
  const url = `${location.origin}${location.pathname}${location.search}${fragment}`;
  try {
    await navigator.clipboard.writeText(url);
    return {
      status: 'Link copied. Anyone who opens it gets this lab, in the state it is in now.',
      link: null,
    };
  } catch {
    // The clipboard can be denied (permissions, an insecure context): the link is shown to copy by hand.
    return { status: 'The browser did not allow copying. Copy the link from the field below.', link: url };
  }
}

/** Downloads the lab's manifests or a script that checks it on a real cluster; says what happened. */
export async function exportLab(
  kind: 'manifests' | 'script',
  engine: LabState['engine'],
  record: LabState['record'],
): Promise<string> {
  try {
    // The exporters load with the lab's tools (the script traces connections).
    await loadLabTools();
    if (kind === 'manifests') {
      const { exportManifests } = await import('../../store/exportManifests');
      download('lab-manifests.yaml', exportManifests(engine, record), 'application/yaml');
      return 'Downloaded lab-manifests.yaml.';
    }
    // A lesson task on screen: the script checks what the task asks for; otherwise what the
    // simulation predicts for every client pod and Service port.
    const [task, { labScript }] = await Promise.all([activeTaskChecks(), import('../../store/exportScript')]);
    download('lab-check.sh', labScript(engine, record, task?.checks ?? []), 'text/x-shellscript');
    return task
      ? `Downloaded lab-check.sh with the checks of the task in step ${task.step} of “${task.lesson}”: run it with bash where kubectl reaches your cluster.`
      : 'Downloaded lab-check.sh with the connections the simulation predicts: run it with bash where kubectl reaches your cluster.';
  } catch (e) {
    return `The export failed: ${describe(e)}`;
  }
}
