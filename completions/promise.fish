complete --keep-order --exclusive --command promise --arguments "(_PROMISE_COMPLETE=fish promise -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
