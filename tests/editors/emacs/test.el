;;; test.el --- Copydesk in real Emacs with eglot (batch mode)  -*- lexical-binding: t -*-
;;
;; Run through run.sh: emacs --batch -l test.el REPO SCRATCH, with
;; COPYDESK_SERVER_PATH naming the server under test.  Uses the eglot setup
;; documented in docs/editors.md.  Waits on conditions, never fixed sleeps.

(require 'eglot)
(require 'xref)
(require 'cl-lib)

(defvar copydesk-test-repository (expand-file-name (nth 0 command-line-args-left)))
(defvar copydesk-test-scratch (expand-file-name (nth 1 command-line-args-left)))
(setq command-line-args-left nil)
(defvar copydesk-test-timeout 20.0)
(defvar copydesk-test-failures 0)

;; The documented setup, with the server under test instead of `copydesk' on PATH.
(add-to-list 'eglot-server-programs
             `((markdown-mode gfm-mode text-mode) . (,(getenv "COPYDESK_SERVER_PATH") "lsp")))
(setq-default eglot-workspace-configuration '(:copydesk (:inlayHints t)))
(setq eglot-sync-connect t)

(defun copydesk-test-wait (what predicate)
  "Wait until PREDICATE is non-nil, or fail naming WHAT."
  (let ((deadline (+ (float-time) copydesk-test-timeout)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (or (funcall predicate)
        (error "Timed out after %ss waiting for %s" copydesk-test-timeout what))))

(defmacro copydesk-test (name &rest body)
  (declare (indent 1))
  `(let ((started (float-time)))
     (condition-case failure
         (progn ,@body
                (princ (format "ok   %-58s %6.0f ms\n" ,name (* 1000 (- (float-time) started)))))
       (error
        (setq copydesk-test-failures (1+ copydesk-test-failures))
        (princ (format "FAIL %-58s %6.0f ms\n     %s\n" ,name (* 1000 (- (float-time) started))
                       (error-message-string failure)))))))

(defun copydesk-test-goto (needle &optional occurrence)
  "Put point on the first character of the OCCURRENCE-th NEEDLE."
  (goto-char (point-min))
  (search-forward needle nil nil (or occurrence 1))
  (goto-char (match-beginning 0)))

(defun copydesk-test-diagnostics (code)
  (cl-remove-if-not (lambda (diagnostic)
                      (string-match-p (regexp-quote code) (flymake-diagnostic-text diagnostic)))
                    (flymake-diagnostics)))

(let* ((draft (expand-file-name "library-hours.txt" copydesk-test-scratch))
       (server nil))
  (copy-file (expand-file-name "tests/editors/fixtures/library-hours.txt" copydesk-test-repository) draft t)
  (find-file draft)
  (text-mode)

  (copydesk-test "eglot connects to copydesk for a text-mode draft"
    (apply #'eglot (eglot--guess-contact))
    (copydesk-test-wait "the server" (lambda () (eglot-current-server)))
    (setq server (eglot-current-server))
    (unless (string-match-p "copydesk" (or (plist-get (eglot--server-info server) :name) ""))
      (error "Connected to %S" (eglot--server-info server))))

  (copydesk-test "diagnostics appear: the unbalanced quote"
    (copydesk-test-wait "an unbalanced-quote diagnostic"
                        (lambda ()
                          (when (and (bound-and-true-p flymake-mode) (null (flymake-diagnostics)))
                            (flymake-start))
                          (copydesk-test-diagnostics "unbalanced"))))

  (copydesk-test "hover on a surname shows the full name and title"
    (copydesk-test-goto "Lindqvist said")
    (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
           (contents (plist-get hover :contents))
           (text (if (stringp contents) contents (format "%s" (or (plist-get contents :value) contents)))))
      (unless (string-match-p "Hannah Lindqvist" text) (error "Hover: %s" text))
      (unless (string-match-p "[Mm]ayor" text) (error "Hover has no title: %s" text))))

  (copydesk-test "xref definitions from a surname go to the first reference"
    (copydesk-test-goto "Lindqvist said")
    (let* ((identifier (xref-backend-identifier-at-point 'eglot))
           (items (xref-backend-definitions 'eglot identifier))
           (marker (xref-location-marker (xref-item-location (car items)))))
      (with-current-buffer (marker-buffer marker)
        (goto-char marker)
        (unless (= (line-number-at-pos) 2) (error "Definition on line %d" (line-number-at-pos))))))

  (copydesk-test "xref references list both mentions"
    (copydesk-test-goto "Lindqvist said")
    (let ((items (xref-backend-references 'eglot (xref-backend-identifier-at-point 'eglot))))
      (unless (= (length items) 2) (error "%d references" (length items)))))

  (copydesk-test "eglot-rename rewrites every mention"
    (copydesk-test-goto "Hannah Lindqvist")
    (let ((expected (replace-regexp-in-string "Lindqvist" "Lindqvist-Berg" (buffer-string) t t)))
      (eglot-rename "Hannah Lindqvist-Berg")
      (copydesk-test-wait "the rename" (lambda () (string-match-p "Lindqvist-Berg" (buffer-string))))
      (unless (string= (buffer-string) expected) (error "After rename:\n%s" (buffer-string)))))

  (copydesk-test "editing the buffer updates diagnostics"
    (copydesk-test-goto "years, Lindqvist")
    (forward-char (length "years,"))
    (insert "\"")
    ;; eglot sends didChange from an idle timer, which batch mode never fires.
    (eglot--signal-textDocument/didChange)
    (let ((asked 0.0))
      (copydesk-test-wait "the diagnostic to go away"
                          (lambda ()
                            ;; Ask flymake for a fresh report now and then
                            ;; (asking on every turn would cancel the last one).
                            (when (> (- (float-time) asked) 0.5)
                              (setq asked (float-time))
                              (flymake-start))
                            (null (copydesk-test-diagnostics "unbalanced"))))))

  (ignore-errors (eglot-shutdown server)))

(princ (if (zerop copydesk-test-failures) "all Emacs tests passed\n"
         (format "%d Emacs test(s) failed\n" copydesk-test-failures)))
(kill-emacs (if (zerop copydesk-test-failures) 0 1))
;;; test.el ends here
