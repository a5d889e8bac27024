-- End-to-end tests of Copydesk in real, headless Neovim.
--
-- Run through run.sh, which supplies:
--   arg[1]  the repository root (for editors/nvim and the fixtures)
--   arg[2]  a scratch folder the fixtures are copied into
-- and COPYDESK_SERVER_PATH in the environment (the binary under test), so the
-- shipped `lsp/copydesk.lua` finds the server the way a writer's setup would.
--
-- Every wait is on a condition (vim.wait), never a fixed sleep. Each test
-- prints one line; the script exits 1 if any failed.

local repository = assert(arg[1], 'usage: nvim --headless --clean -l test.lua REPO SCRATCH')
local scratch = assert(arg[2], 'usage: nvim --headless --clean -l test.lua REPO SCRATCH')
local fixtures = repository .. '/tests/editors/fixtures'

-- Generous: the first request may wait for the server to start and analyse.
local TIMEOUT_MS = tonumber(vim.env.COPYDESK_NVIM_TIMEOUT_MS) or 20000

-- The writer's setup: the plugin folder on the runtimepath, both opt-ins on.
vim.g.copydesk = { inlay_hints = true, semantic_tokens = true }
vim.opt.runtimepath:prepend(repository .. '/editors/nvim')
vim.cmd.runtime('plugin/copydesk.lua')

local function say(text)
  io.stdout:write(text, '\n')
  io.stdout:flush()
end

local failures = 0
local function test(name, body)
  local started = vim.uv.hrtime()
  local ok, problem = xpcall(body, debug.traceback)
  local elapsed = (vim.uv.hrtime() - started) / 1e6
  if ok then
    say(string.format('ok   %-58s %6.0f ms', name, elapsed))
  else
    failures = failures + 1
    say(string.format('FAIL %-58s %6.0f ms', name, elapsed))
    say('     ' .. (tostring(problem):gsub('\n', '\n     ')))
  end
end

local function wait_for(what, condition)
  local ok = vim.wait(TIMEOUT_MS, condition, 20)
  if not ok then
    error('timed out after ' .. TIMEOUT_MS .. ' ms waiting for ' .. what, 2)
  end
end

local function copy_fixture(name)
  local target = scratch .. '/' .. name
  local lines = vim.fn.readfile(fixtures .. '/' .. name)
  vim.fn.writefile(lines, target)
  return target
end

local function buffer_text(buffer)
  return table.concat(vim.api.nvim_buf_get_lines(buffer, 0, -1, false), '\n')
end

--- Zero-based line and byte column of the `occurrence`-th match of a plain
--- `needle` in the buffer (occurrences counted across the whole buffer).
local function locate(buffer, needle, occurrence)
  occurrence = occurrence or 1
  local seen = 0
  for index, line in ipairs(vim.api.nvim_buf_get_lines(buffer, 0, -1, false)) do
    local from = 1
    while true do
      local start = line:find(needle, from, true)
      if start == nil then
        break
      end
      seen = seen + 1
      if seen == occurrence then
        return index - 1, start - 1
      end
      from = start + 1
    end
  end
  error(string.format('%q occurrence %d not found in the buffer', needle, occurrence), 2)
end

local function count_plain(haystack, needle)
  local count, from = 0, 1
  while true do
    local start = haystack:find(needle, from, true)
    if start == nil then
      return count
    end
    count, from = count + 1, start + #needle
  end
end

--- Puts the cursor inside the given match (one byte in, so the position is
--- unambiguously within the word).
local function put_cursor(buffer, needle, occurrence)
  local line, column = locate(buffer, needle, occurrence)
  vim.api.nvim_set_current_buf(buffer)
  vim.api.nvim_win_set_cursor(0, { line + 1, column + 1 })
  return line, column
end

local function copydesk_client(buffer)
  return vim.lsp.get_clients({ bufnr = buffer, name = 'copydesk' })[1]
end

--- Fails at once, with a clear message, when the server did not announce a
--- capability (instead of timing out on a request Neovim never sends).
local function require_method(buffer, method)
  local client = copydesk_client(buffer)
  assert(client ~= nil, 'no copydesk client on the buffer')
  if not client:supports_method(method, buffer) then
    error('the server does not support ' .. method, 2)
  end
end

local function open_draft(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buffer = vim.api.nvim_get_current_buf()
  wait_for('the copydesk client to attach and initialise', function()
    local client = copydesk_client(buffer)
    return client ~= nil and client.initialized == true
  end)
  return buffer
end

local function diagnostics_with_code(buffer, code, line)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
    if tostring(diagnostic.code) == code and (line == nil or diagnostic.lnum == line) then
      table.insert(found, diagnostic)
    end
  end
  return found
end

--- Text of the floating window Neovim opened (the hover popup), or nil.
local function floating_window_text()
  for _, window in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(window).relative ~= '' then
      local buffer = vim.api.nvim_win_get_buf(window)
      return table.concat(vim.api.nvim_buf_get_lines(buffer, 0, -1, false), '\n'), window
    end
  end
  return nil
end

local function close_floating_windows()
  for _, window in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(window).relative ~= '' then
      vim.api.nvim_win_close(window, true)
    end
  end
end

local draft_path = copy_fixture('ferry-link.md')
local original_text = table.concat(vim.fn.readfile(draft_path), '\n')
local draft

test('the server attaches to a Markdown draft', function()
  draft = open_draft(draft_path)
  assert(vim.bo[draft].filetype == 'markdown', 'filetype is ' .. vim.bo[draft].filetype)
  local client = copydesk_client(draft)
  assert(client.offset_encoding == 'utf-8' or client.offset_encoding == 'utf-16',
    'unexpected position encoding ' .. tostring(client.offset_encoding))
end)

if draft == nil then
  io.stdout:write('the server never attached: the remaining tests cannot run\n')
  io.stdout:flush()
  os.exit(1)
end

test('diagnostics appear: the unbalanced quote is flagged on its line', function()
  local line = locate(draft, '"The timetable has slipped before')
  wait_for('an unbalanced-quote diagnostic on line ' .. (line + 1), function()
    return #diagnostics_with_code(draft, 'unbalanced-quote', line) > 0
  end)
  local diagnostic = diagnostics_with_code(draft, 'unbalanced-quote', line)[1]
  assert(diagnostic.message ~= nil and diagnostic.message ~= '', 'the diagnostic has no message')
  assert(diagnostic.source == nil or diagnostic.source:lower():find('copydesk'),
    'unexpected diagnostic source ' .. tostring(diagnostic.source))
  -- Only the broken paragraph is flagged for quotation marks.
  assert(#diagnostics_with_code(draft, 'unbalanced-quote') == 1,
    'expected one unbalanced-quote diagnostic, got ' .. #diagnostics_with_code(draft, 'unbalanced-quote'))
end)

test('hover on a surname shows the full name and the title', function()
  require_method(draft, 'textDocument/hover')
  close_floating_windows()
  put_cursor(draft, 'Okonkwo told reporters')
  vim.lsp.buf.hover()
  wait_for('the hover window', function()
    return floating_window_text() ~= nil
  end)
  local text = floating_window_text()
  close_floating_windows()
  assert(text:find('Marta Okonkwo', 1, true), 'hover does not name Marta Okonkwo:\n' .. text)
  assert(text:lower():find('finance minister', 1, true), 'hover does not show the title:\n' .. text)
end)

test('hover on a plain word answers nothing', function()
  require_method(draft, 'textDocument/hover')
  -- A word of the headline: no entity, and outside every quote or reported
  -- statement (those have hovers of their own).
  put_cursor(draft, 'delay')
  local params = vim.lsp.util.make_position_params(0, copydesk_client(draft).offset_encoding)
  local responses = vim.lsp.buf_request_sync(draft, 'textDocument/hover', params, TIMEOUT_MS)
  assert(responses ~= nil, 'no response to hover')
  for _, response in pairs(responses) do
    assert(response.err == nil, 'hover error: ' .. vim.inspect(response.err))
    local result = response.result
    local empty = result == nil or result == vim.NIL
      or (type(result.contents) == 'table' and (result.contents.value or '') == '' and #result.contents == 0)
    assert(empty, 'hover on a plain word returned ' .. vim.inspect(result))
  end
end)

test('go to definition from a surname lands on the first reference', function()
  require_method(draft, 'textDocument/definition')
  local first_line, first_column = locate(draft, 'Marta Okonkwo')
  put_cursor(draft, 'Okonkwo said the first sailing')
  local before = vim.api.nvim_win_get_cursor(0)
  vim.lsp.buf.definition()
  wait_for('the cursor to move to the first reference', function()
    return vim.api.nvim_win_get_cursor(0)[1] ~= before[1]
  end)
  local cursor = vim.api.nvim_win_get_cursor(0)
  assert(cursor[1] - 1 == first_line,
    string.format('landed on line %d, the first reference is on line %d', cursor[1], first_line + 1))
  local column = cursor[2]
  assert(column >= first_column and column < first_column + #'Marta Okonkwo',
    string.format('landed at column %d, outside "Marta Okonkwo" (%d..%d)', column, first_column,
      first_column + #'Marta Okonkwo'))
end)

test('find references lists every mention of the person', function()
  require_method(draft, 'textDocument/references')
  put_cursor(draft, 'Okonkwo told reporters')
  local items
  vim.lsp.buf.references({ includeDeclaration = true }, {
    on_list = function(list)
      items = list.items
    end,
  })
  wait_for('the references list', function()
    return items ~= nil
  end)
  local lines = vim.api.nvim_buf_get_lines(draft, 0, -1, false)
  local mention_lines = {}
  for _, item in ipairs(items) do
    local text = lines[item.lnum]
    local mentioned = text:sub(item.col, (item.end_col or item.col + #'Okonkwo') - 1)
    assert(mentioned:find('Okonkwo', 1, true),
      string.format('reference at %d:%d covers %q, not a mention of Okonkwo', item.lnum, item.col, mentioned))
    mention_lines[item.lnum] = (mention_lines[item.lnum] or 0) + 1
  end
  local expected = count_plain(buffer_text(draft), 'Okonkwo')
  assert(#items == expected, string.format('expected %d references, got %d: %s', expected, #items,
    vim.inspect(vim.tbl_map(function(item) return item.lnum .. ':' .. item.col end, items))))
  for index, line in ipairs(lines) do
    assert((mention_lines[index] or 0) == count_plain(line, 'Okonkwo'),
      'line ' .. index .. ' mentions are not all listed')
  end
end)

test('inlay hints are on (opted in) and name the person after a surname', function()
  require_method(draft, 'textDocument/inlayHint')
  assert(vim.lsp.inlay_hint.is_enabled({ bufnr = draft }), 'inlay hints are not enabled for the draft')
  local line, column = locate(draft, 'Okonkwo told reporters')
  local hint_text
  wait_for('an inlay hint after the surname-only mention', function()
    for _, item in ipairs(vim.lsp.inlay_hint.get({ bufnr = draft })) do
      local hint = item.inlay_hint
      if hint.position.line == line and hint.position.character >= column then
        local label = hint.label
        if type(label) == 'table' then
          label = table.concat(vim.tbl_map(function(part) return part.value end, label))
        end
        hint_text = label
        return true
      end
    end
    return false
  end)
  assert(hint_text:find('Marta Okonkwo', 1, true), 'the hint says ' .. vim.inspect(hint_text))
end)

test('semantic tokens are on (opted in): the surname is coloured as a person', function()
  require_method(draft, 'textDocument/semanticTokens/full')
  local line, column = locate(draft, 'Okonkwo told reporters')
  wait_for('a person token on the surname', function()
    for _, token in ipairs(vim.lsp.semantic_tokens.get_at_pos(draft, line, column + 1) or {}) do
      if token.type == 'person' then
        return true
      end
    end
    return false
  end)
end)

test(':CopydeskPeople lists the people in this draft', function()
  require_method(draft, 'textDocument/documentSymbol')
  vim.api.nvim_set_current_buf(draft)
  vim.fn.setloclist(0, {}, 'f')
  vim.cmd('CopydeskPeople!')
  wait_for('the people location list', function()
    return vim.fn.getloclist(0, { title = 0 }).title == 'People in this draft'
  end)
  local names = vim.tbl_map(function(item) return item.text end, vim.fn.getloclist(0))
  local joined = table.concat(names, '\n')
  assert(joined:find('Marta Okonkwo', 1, true), 'Marta Okonkwo missing from ' .. vim.inspect(names))
  assert(joined:find('Tomas Brenner', 1, true), 'Tomas Brenner missing from ' .. vim.inspect(names))
  assert(not joined:find('Harrow Island', 1, true), 'a place is listed as a person: ' .. vim.inspect(names))
end)

test('rename rewrites every mention, and only those', function()
  require_method(draft, 'textDocument/rename')
  put_cursor(draft, 'Marta Okonkwo')
  local before = buffer_text(draft)
  vim.lsp.buf.rename('Marta Okonkwo-Reyes')
  wait_for('the rename to be applied to the buffer', function()
    return buffer_text(draft) ~= before
  end)
  local expected = before:gsub('Okonkwo', 'Okonkwo-Reyes')
  local actual = buffer_text(draft)
  assert(actual == expected, 'after rename the buffer is:\n' .. actual .. '\n\nexpected:\n' .. expected)
end)

test('editing the buffer updates diagnostics', function()
  local line, column = locate(draft, 'slipped before,')
  column = column + #'slipped before,'
  vim.api.nvim_buf_set_text(draft, line, column, line, column, { '"' })
  wait_for('the fixed quote to lose its diagnostic', function()
    return #diagnostics_with_code(draft, 'unbalanced-quote') == 0
  end)
  local last = vim.api.nvim_buf_line_count(draft)
  vim.api.nvim_buf_set_lines(draft, last, last, false, { '', '"Nobody asked the islanders, Brenner added.' })
  wait_for('a diagnostic on the newly typed unbalanced quote', function()
    return #diagnostics_with_code(draft, 'unbalanced-quote', last + 1) == 1
  end)
  assert(#diagnostics_with_code(draft, 'unbalanced-quote') == 1, 'stale diagnostics remain')
end)

test('the server attaches to a plain-text draft and flags it', function()
  -- This draft is opened with both opt-ins off, to check the plugin honours them.
  vim.g.copydesk = { inlay_hints = false, semantic_tokens = false }
  local text_draft = open_draft(copy_fixture('library-hours.txt'))
  assert(vim.bo[text_draft].filetype == 'text', 'filetype is ' .. vim.bo[text_draft].filetype)
  local line = locate(text_draft, '"Readers have asked')
  wait_for('an unbalanced-quote diagnostic in the text draft', function()
    return #diagnostics_with_code(text_draft, 'unbalanced-quote', line) == 1
  end)
  assert(copydesk_client(text_draft).id == copydesk_client(draft).id,
    'the two drafts should share one server')
  assert(not vim.lsp.inlay_hint.is_enabled({ bufnr = text_draft }), 'inlay hints are on without the opt-in')
  local token_line, token_column = locate(text_draft, 'Lindqvist said')
  assert(#(vim.lsp.semantic_tokens.get_at_pos(text_draft, token_line, token_column + 1) or {}) == 0,
    'semantic tokens are on without the opt-in')
  vim.g.copydesk = { inlay_hints = true, semantic_tokens = true }
end)

test(':CopydeskRestart starts a fresh server that serves the drafts', function()
  local old = copydesk_client(draft).id
  vim.api.nvim_set_current_buf(draft)
  vim.cmd('CopydeskRestart')
  wait_for('a new copydesk client on the draft', function()
    local client = copydesk_client(draft)
    return client ~= nil and client.id ~= old and client.initialized == true
  end)
  -- Only the new client's diagnostics count (pushed or pulled, whichever the
  -- server and Neovim agreed on): the old client's may linger for a moment.
  local new = copydesk_client(draft).id
  wait_for('diagnostics from the new server', function()
    for _, is_pull in ipairs({ false, true }) do
      local namespace = vim.lsp.diagnostic.get_namespace(new, is_pull)
      for _, diagnostic in ipairs(vim.diagnostic.get(draft, { namespace = namespace })) do
        if tostring(diagnostic.code) == 'unbalanced-quote' then
          return true
        end
      end
    end
    return false
  end)
end)

-- The fixture on disk must be untouched: the tests edit buffers, never files.
assert(table.concat(vim.fn.readfile(fixtures .. '/ferry-link.md'), '\n') == original_text)

for _, client in ipairs(vim.lsp.get_clients()) do
  client:stop()
end
vim.wait(5000, function()
  return #vim.lsp.get_clients() == 0
end, 20)

io.stdout:write(failures == 0 and 'all Neovim tests passed\n' or (failures .. ' Neovim test(s) failed\n'))
io.stdout:flush()
os.exit(failures == 0 and 0 or 1)
