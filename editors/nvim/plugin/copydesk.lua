-- Copydesk for Neovim: enables the language server on Markdown and plain-text
-- drafts and adds two user commands.
--
--   :CopydeskPeople   list the people in this draft (from the server's outline)
--   :CopydeskRestart  restart the server for this draft
--
-- Options, set before this file is loaded (e.g. in init.lua):
--
--   vim.g.copydesk = {
--     autostart = true,        -- call vim.lsp.enable('copydesk') for you
--     cmd = nil,               -- e.g. { '/path/to/copydesk', 'lsp' }
--     inlay_hints = false,     -- full names after surname-only mentions
--     semantic_tokens = false, -- colour people, organisations, places, quotes
--   }
--
-- Inlay hints and semantic tokens are opt-in: prose full of coloured names and
-- inline hints is a lot to impose on a writer who did not ask for it.

if vim.g.loaded_copydesk then
  return
end
vim.g.loaded_copydesk = true

if vim.fn.has('nvim-0.11') ~= 1 then
  vim.notify('copydesk: Neovim 0.11 or newer is required', vim.log.levels.WARN)
  return
end

local function options()
  local configured = vim.g.copydesk
  if type(configured) ~= 'table' then
    configured = {}
  end
  return vim.tbl_extend('keep', configured, {
    autostart = true,
    inlay_hints = false,
    semantic_tokens = false,
  })
end

-- Theme-independent defaults for Copydesk's semantic token types; a colour
-- scheme that defines these groups wins because of `default = true`.
local token_links = {
  ['@lsp.type.person'] = '@variable',
  ['@lsp.type.organization'] = '@type',
  ['@lsp.type.place'] = '@constant',
  ['@lsp.type.title'] = '@attribute',
  ['@lsp.type.quote'] = '@string',
  ['@lsp.type.speakerCue'] = '@keyword',
}
for group, target in pairs(token_links) do
  vim.api.nvim_set_hl(0, group, { link = target, default = true })
end

local group = vim.api.nvim_create_augroup('copydesk', { clear = true })

vim.api.nvim_create_autocmd('LspAttach', {
  group = group,
  callback = function(event)
    local client = vim.lsp.get_client_by_id(event.data.client_id)
    if client == nil or client.name ~= 'copydesk' then
      return
    end
    local current = options()
    if current.inlay_hints and client:supports_method('textDocument/inlayHint') then
      vim.lsp.inlay_hint.enable(true, { bufnr = event.buf })
    end
    if not current.semantic_tokens and client.server_capabilities.semanticTokensProvider then
      if vim.fn.has('nvim-0.12') == 1 then
        -- Neovim starts semantic tokens after LspAttach unless disabled here
        -- (for the draft's buffer: the filter takes a buffer or a client).
        vim.lsp.semantic_tokens.enable(false, { bufnr = event.buf })
      else
        -- Neovim 0.11 starts them from a callback it schedules after this
        -- one; stop them once that has run.
        vim.schedule(function()
          vim.schedule(function()
            if vim.api.nvim_buf_is_valid(event.buf) then
              vim.lsp.semantic_tokens.stop(event.buf, client.id)
            end
          end)
        end)
      end
    end
  end,
})

local function copydesk_client(buffer)
  return vim.lsp.get_clients({ bufnr = buffer, name = 'copydesk' })[1]
end

-- The outline groups symbols as People / Organisations / Places / Quotes;
-- people are the children of the "People" group, or, when a server answers
-- with a flat SymbolInformation list, the symbols whose container is "People".
local function people_from_symbols(symbols)
  local people = {}
  for _, symbol in ipairs(symbols or {}) do
    if symbol.children ~= nil and symbol.name == 'People' then
      for _, person in ipairs(symbol.children) do
        table.insert(people, person)
      end
    elseif symbol.containerName == 'People' then
      table.insert(people, symbol)
    end
  end
  return people
end

local function show_people(command)
  local buffer = vim.api.nvim_get_current_buf()
  local client = copydesk_client(buffer)
  if client == nil then
    vim.notify('copydesk: the server is not attached to this buffer', vim.log.levels.WARN)
    return
  end
  if not client:supports_method('textDocument/documentSymbol', buffer) then
    vim.notify('copydesk: this server version has no outline (documentSymbol)', vim.log.levels.WARN)
    return
  end
  local params = { textDocument = vim.lsp.util.make_text_document_params(buffer) }
  client:request('textDocument/documentSymbol', params, function(err, result)
    if err ~= nil then
      vim.notify('copydesk: ' .. tostring(err.message or err), vim.log.levels.ERROR)
      return
    end
    local people = people_from_symbols(result)
    local items = {}
    for _, person in ipairs(people) do
      local range = person.selectionRange or person.range or (person.location and person.location.range)
      local text = person.name
      if person.detail ~= nil and person.detail ~= '' then
        text = text .. ' (' .. person.detail .. ')'
      end
      table.insert(items, {
        bufnr = buffer,
        lnum = range and range.start.line + 1 or 1,
        col = range and range.start.character + 1 or 1,
        text = text,
      })
    end
    vim.fn.setloclist(0, {}, ' ', { title = 'People in this draft', items = items })
    if not command.bang then
      if #items == 0 then
        vim.notify('copydesk: no people found in this draft', vim.log.levels.INFO)
      else
        vim.cmd.lopen()
      end
    end
  end, buffer)
end

vim.api.nvim_create_user_command('CopydeskPeople', show_people, {
  bang = true,
  desc = 'Copydesk: list the people in this draft in the location list (! to fill it without opening)',
})

vim.api.nvim_create_user_command('CopydeskRestart', function()
  local clients = vim.lsp.get_clients({ name = 'copydesk' })
  local buffers = {}
  for _, client in ipairs(clients) do
    for attached in pairs(client.attached_buffers) do
      buffers[attached] = true
    end
    client:stop(true)
  end
  -- Once the old clients have exited, re-running Neovim's own "start the
  -- enabled configs" autocommand starts a fresh server for every open draft.
  vim.wait(5000, function()
    return #vim.lsp.get_clients({ name = 'copydesk' }) == 0
  end, 20)
  for buffer in pairs(buffers) do
    if vim.api.nvim_buf_is_valid(buffer) then
      vim.api.nvim_exec_autocmds('FileType', { group = 'nvim.lsp.enable', buffer = buffer })
    end
  end
end, { desc = 'Copydesk: restart the language server' })

if options().autostart then
  vim.lsp.enable('copydesk')
end
