/** Stops with a clear message on a Node.js older than 22 (Node 20 is end-of-life; the platform needs 22). */
export function assertSupportedNode(): void {
  if (Number(process.versions.node.split('.')[0]) < 22) {
    process.stderr.write(
      `Node.js ${process.versions.node} is too old: the platform needs Node.js 22 or later (see README).\n`,
    )
    process.exit(1)
  }
}
