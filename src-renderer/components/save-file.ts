// Saving from the page: text made here (a log) through a Blob, and files of the engine's machine
// (artifacts) through a link the browser downloads. A link needs no script access to the bytes.

/** Offers text as a file download. */
export function saveText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  try {
    clickLink(url, fileName);
  } finally {
    // The click has started the download; the URL is not needed after this turn.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/** Lets the browser download an address (the name is a hint; the server's header wins). */
export function clickLink(href: string, fileName = ''): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
