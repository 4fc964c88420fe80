// TypeDoc plugin for the tapegrad site:
// - names the extra entry points of a package after their import path (`@tapegrad/nn/node`),
// - titles each guide with its first heading, orders the guides for a reader, and highlights
//   ts-snippet fences (fragments the guide tests do not run) as TypeScript,
// - fails the build (through treatWarningsAsErrors) on an exported symbol without a summary or
//   an @example.
import { Application, Converter, ReflectionKind, RendererEvent } from "typedoc";

/** Reading order of the guides; any guide not listed follows, alphabetically. */
const GUIDE_ORDER = [
  "getting-started",
  "architecture",
  "autograd",
  "training",
  "custom-layers",
  "memory",
  "dtypes",
  "backends",
  "webgl",
  "writing-a-backend",
  "autoencoder",
  "support-matrix",
  "contributing",
];

/** Top-level kinds that must carry an @example: the ones a user imports. */
const NEEDS_EXAMPLE =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Variable |
  ReflectionKind.Enum;

function guideKey(doc) {
  const file = doc.name.split(/[\\/]/).at(-1) ?? doc.name;
  return file
    .replace(/\.md$/, "")
    .replace(/^(docs|apps_docs_generated)_/, "")
    .toLowerCase();
}

function firstHeading(doc) {
  const text = doc.content
    .filter((part) => part.kind === "text")
    .map((part) => part.text)
    .join("");
  return /^#\s+(.+?)\s*$/m.exec(text)?.[1];
}

function readingOrder(docs) {
  const keys = new Map(docs.map((doc) => [doc, guideKey(doc)]));
  const rank = (doc) => {
    const i = GUIDE_ORDER.indexOf(keys.get(doc));
    return i === -1 ? GUIDE_ORDER.length : i;
  };
  return (a, b) => {
    if (!keys.has(a) || !keys.has(b)) return 0;
    return rank(a) - rank(b) || keys.get(a).localeCompare(keys.get(b));
  };
}

function commentOf(refl) {
  if (refl.comment) return refl.comment;
  for (const sig of refl.signatures ?? []) if (sig.comment) return sig.comment;
  return refl.type?.declaration?.signatures?.find((s) => s.comment)?.comment;
}

/** @param {Application} app */
export function load(app) {
  // Each package converts on its own: rename its `index` / `node` entry modules.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    const pkg = project.packageName ?? project.name;
    for (const child of project.children ?? []) {
      if (!child.kindOf(ReflectionKind.Module)) continue;
      if (child.name === "index") child.name = pkg;
      else if (child.name === "node") child.name = `${pkg}/node`;
    }
  });

  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    app.logger.verbose(`checking examples of ${project.getReflectionsByKind(NEEDS_EXAMPLE).length} symbols`);
    for (const refl of project.getReflectionsByKind(NEEDS_EXAMPLE)) {
      if (!refl.parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project)) continue;
      const comment = commentOf(refl);
      const what = `${refl.getFriendlyFullName()} (${ReflectionKind.singularString(refl.kind)})`;
      if (comment && !comment.summary.some((part) => part.text.trim() !== "")) {
        app.logger.warn(`${what} has no summary`);
      }
      if (!comment?.blockTags.some((tag) => tag.tag === "@example")) app.logger.warn(`${what} has no @example`);
    }
  });

  app.renderer.on(RendererEvent.BEGIN, (event) => {
    const project = event.project;
    const byReadingOrder = readingOrder(project.documents ?? []);
    for (const doc of project.documents ?? []) {
      const title = firstHeading(doc);
      if (title) doc.name = title;
      // Fragments are fenced ts-snippet so the guide tests skip them; highlight them as ts.
      for (const part of doc.content) {
        if (part.kind === "code") part.text = part.text.replace(/^```ts-snippet\b/, "```ts");
      }
    }
    project.documents?.sort(byReadingOrder);
    project.childrenIncludingDocuments?.sort(byReadingOrder);
    for (const group of project.groups ?? []) group.children.sort(byReadingOrder);
  });
}
