-- Copydesk language server configuration for Neovim 0.11+.
--
-- Neovim finds this file on 'runtimepath' as `lsp/copydesk.lua`, so with this
-- folder on the runtimepath `vim.lsp.enable('copydesk')` is all a writer needs.
-- Anything here can be overridden with `vim.lsp.config('copydesk', {...})`.
--
-- The server command is, in order: `vim.g.copydesk.cmd` (a list), the
-- COPYDESK_SERVER_PATH environment variable, then `copydesk` on PATH. The same
-- order (minus the bundled binary) as the VS Code extension, so one
-- environment variable works for both editors.

local function server_command()
  local options = vim.g.copydesk or {}
  if type(options.cmd) == 'table' and #options.cmd > 0 then
    return options.cmd
  end
  local from_environment = vim.env.COPYDESK_SERVER_PATH
  if from_environment ~= nil and from_environment ~= '' then
    return { from_environment, 'lsp' }
  end
  return { 'copydesk', 'lsp' }
end

---@type vim.lsp.Config
return {
  cmd = server_command(),
  filetypes = { 'markdown', 'text' },
  -- A newsroom stylebook marks the root of a project of drafts; otherwise the
  -- repository, otherwise the draft is served on its own (single-file mode).
  root_markers = { 'copydesk.toml', '.git' },
  workspace_required = false,
  -- Sent in answer to `workspace/configuration` for the `copydesk` section.
  -- Names match the VS Code settings (`copydesk.*`), see docs/editors.md.
  settings = {
    copydesk = {},
  },
}
