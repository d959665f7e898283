// The perfdsl extension: starts `perfdsl lsp` and connects VS Code to it.
// Highlighting comes from syntaxes/perf.tmLanguage.json and works without the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, RevealOutputChannelOn } = require('vscode-languageclient/node');

let client = null;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('perfdsl');
  const command = config.get('server.path') || 'perfdsl';
  const args = config.get('server.args') || ['lsp'];
  return { command, args, options: { env: process.env } };
}

function clientOptions() {
  const config = vscode.workspace.getConfiguration('perfdsl');
  return {
    documentSelector: [
      { scheme: 'file', language: 'perf' },
      { scheme: 'untitled', language: 'perf' },
    ],
    initializationOptions: { lang: config.get('language') || 'zh' },
    synchronize: {
      // An included file changed on disk: the server checks its includers again.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.perf'),
    },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
}

async function start(context) {
  client = new LanguageClient('perfdsl', 'perfdsl', serverOptions(), clientOptions());
  try {
    await client.start();
  } catch (err) {
    const command = serverOptions().command;
    vscode.window.showErrorMessage(
      `perfdsl: the language server could not be started with "${command} lsp" (${err.message || err}). ` +
      'Install perfdsl (pip install perfdsl) or set "perfdsl.server.path".');
    client = null;
  }
}

async function stop() {
  if (client) {
    const c = client;
    client = null;
    await c.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('perfdsl.restartServer', async () => {
      await stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('perfdsl.server') || event.affectsConfiguration('perfdsl.language')) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
