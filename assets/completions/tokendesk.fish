# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tokendesk_global_optspecs
    string join \n demo url= username= organisation= unit= session-token-file= password-command= password-command-timeout= connect-timeout= request-timeout= log-file= config= profile= read-only allow-http ca-cert= audit-log= color= ascii clipboard= mouse theme= h/help V/version
end

function __fish_tokendesk_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tokendesk_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tokendesk_using_subcommand
    set -l cmd (__fish_tokendesk_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tokendesk -n "__fish_tokendesk_needs_command" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -s V -l version -d 'Print version'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "show" -d 'Show one access token'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "list" -d 'List the access tokens of an accounts receivable or a rewards participant'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "deactivate" -d 'Deactivate an EFFECTIVE access token (set_as_not_effective)'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "activate" -d 'Re-activate a NOT_EFFECTIVE access token (set_as_effective)'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "delete" -d 'Delete a NOT_EFFECTIVE access token. This cannot be undone'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "simulate" -d 'Run the CRM.COM simulator on its own until Ctrl-C'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "profiles" -d 'List the config file\'s profiles'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "audit" -d 'Show the audit log: who did what to which token, and how it ended'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "recent" -d 'List the tokens opened lately in the console, newest first (never a pass code)'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "man" -d 'Print the manual page, as the packages install it (read it with: tokendesk man | man -l -)'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "completions" -d 'Print the shell completion script, as the packages install it'
complete -c tokendesk -n "__fish_tokendesk_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l identifier -d 'The token\'s identifier (needs --pass-code) instead of its code' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l pass-code -d 'The pass code that goes with --identifier' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l fields -d 'Only these top-level fields (comma-separated), as CRM.COM\'s fields_set' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l json -d 'Print the server\'s data as JSON instead of text (personal data masked unless --reveal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l reveal -d 'Print personal data (ID and passport numbers, dates of birth, ...) in clear instead of masked, text and --json alike. Recorded in the audit log first'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand show" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l acr -d 'Accounts receivable number, e.g. ACR0000000069' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l rp -d 'Rewards participant number, e.g. RP0000000010' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l limit -d 'Stop after this many tokens: if the list holds more, say so and exit 9 [default: all of them, page by page, up to the profile\'s list_ceiling, 100000]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l offset -d 'How many tokens to skip' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l fields -d 'Only these top-level fields (comma-separated), as CRM.COM\'s fields_set' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l jsonl -d 'One JSON object a line, each token printed as its page arrives (personal data masked unless --reveal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l json -d 'Print the server\'s data as JSON instead of text (personal data masked unless --reveal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l reveal -d 'Print personal data (ID and passport numbers, dates of birth, ...) in clear instead of masked, text and --json alike. Recorded in the audit log first'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand list" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l identifier -d 'The token\'s identifier (needs --pass-code) instead of its code' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l pass-code -d 'The pass code that goes with --identifier' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l from -d 'A batch: the tokens in FILE, one authentication code a line (`#` comments and blank lines ignored; `-` reads standard input)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l acr -d 'A batch: every token of this accounts receivable' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l rp -d 'A batch: every token of this rewards participant' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l reason -d 'Why: recorded in the audit log with the action (a batch\'s every token). The profile\'s reason and reason_pattern may require one' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l concurrency -d 'Requests in flight at once in a batch (--from, --acr, --rp)' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l fields -d 'Only these top-level fields (comma-separated), as CRM.COM\'s fields_set' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -s y -l yes -d 'Do not ask for confirmation (needed when not on a terminal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l resume -d 'Resume the interrupted run of this batch however long ago it was cut short (within 10 minutes it is resumed without asking): the tokens it did are left alone unread. A run that finished is never resumed; every token is then read again'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l json -d 'Print the server\'s data as JSON instead of text (personal data masked unless --reveal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l reveal -d 'Print personal data (ID and passport numbers, dates of birth, ...) in clear instead of masked, text and --json alike. Recorded in the audit log first'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand deactivate" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l identifier -d 'The token\'s identifier (needs --pass-code) instead of its code' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l pass-code -d 'The pass code that goes with --identifier' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l from -d 'A batch: the tokens in FILE, one authentication code a line (`#` comments and blank lines ignored; `-` reads standard input)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l acr -d 'A batch: every token of this accounts receivable' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l rp -d 'A batch: every token of this rewards participant' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l reason -d 'Why: recorded in the audit log with the action (a batch\'s every token). The profile\'s reason and reason_pattern may require one' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l concurrency -d 'Requests in flight at once in a batch (--from, --acr, --rp)' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l fields -d 'Only these top-level fields (comma-separated), as CRM.COM\'s fields_set' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -s y -l yes -d 'Do not ask for confirmation (needed when not on a terminal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l resume -d 'Resume the interrupted run of this batch however long ago it was cut short (within 10 minutes it is resumed without asking): the tokens it did are left alone unread. A run that finished is never resumed; every token is then read again'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l json -d 'Print the server\'s data as JSON instead of text (personal data masked unless --reveal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l reveal -d 'Print personal data (ID and passport numbers, dates of birth, ...) in clear instead of masked, text and --json alike. Recorded in the audit log first'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand activate" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l identifier -d 'The token\'s identifier (needs --pass-code) instead of its code' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l pass-code -d 'The pass code that goes with --identifier' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l from -d 'A batch: the tokens in FILE, one authentication code a line (`#` comments and blank lines ignored; `-` reads standard input)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l acr -d 'A batch: every token of this accounts receivable' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l rp -d 'A batch: every token of this rewards participant' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l reason -d 'Why: recorded in the audit log with the action (a batch\'s every token). The profile\'s reason and reason_pattern may require one' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l concurrency -d 'Requests in flight at once in a batch (--from, --acr, --rp)' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l fields -d 'Only these top-level fields (comma-separated), as CRM.COM\'s fields_set' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -s y -l yes -d 'Do not ask for confirmation (needed when not on a terminal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l resume -d 'Resume the interrupted run of this batch however long ago it was cut short (within 10 minutes it is resumed without asking): the tokens it did are left alone unread. A run that finished is never resumed; every token is then read again'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l json -d 'Print the server\'s data as JSON instead of text (personal data masked unless --reveal)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l reveal -d 'Print personal data (ID and passport numbers, dates of birth, ...) in clear instead of masked, text and --json alike. Recorded in the audit log first'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand delete" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l listen -d 'Address to listen on; keep it on loopback' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l session-ttl -d 'Seconds a session token lives' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l latency -d 'Milliseconds added before every answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l apply-delay -d 'Carry out each deactivation, re-activation or delete this many milliseconds after receiving it, even when the client has hung up meanwhile (a slow back end)' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l fail-every -d 'Fail every Nth request with --fault' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l fault -d 'How the failing requests fail' -r -f -a "html502\t'HTTP 502 with a small nginx HTML page; the method does not run'
truncated\t'The method\'s own answer (its HTTP status and headers included) carrying only the first half of its body; the method did run'
disconnect\t'The connection is cut a few bytes into the method\'s own answer, after its status line; the method did run'
internal-error\t'An `INTERNAL_ERROR` envelope (HTTP 500 with `http_error_status`); the method does not run'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l data -d 'Tokens to serve instead of the demo data (same format as assets/demo-tokens.json)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l bulk-account -d 'Add an accounts receivable with COUNT tokens in mixed states, e.g. ACR0000009000:10000 (may be given several times)' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l fail-actions-only -d 'Count only life-cycle actions for --fail-every: every Nth action fails, no read does'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l http-errors -d 'Answer errors with HTTP 4xx/5xx instead of 200'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l example -d 'Print a config file to start from instead, every field commented (save it as ~/.config/tokendesk/config.toml and edit it)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand profiles" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l token -d 'Only this token: its number, authentication code, identifier or id' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l since -d 'Only from then on: a UTC date (2025-06-01) or time (2025-06-01T09:30:00Z), or an age (2h, 7days)' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l json -d 'The records as a JSON array instead of a table'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l verify -d 'Walk the log\'s hash chain and say whether it holds, or the first line that breaks it (exit status 1; 10 when the log has no chain to verify)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand audit" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l json -d 'Print a JSON array instead: number, code, state and seen (UTC) of each'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand recent" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand man" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l url -d 'The CRM.COM API, e.g. https://crm.example.com/crmapi/rest/v2' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l username -d 'The CRM.COM user to log in as' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l organisation -d 'The organisation to log in to' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l unit -d 'The business unit within the organisation, where it has several' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l session-token-file -d 'Start from an existing session token instead of logging in: the first line of FILE (`-`: standard input), or the variable TOKENDESK_SESSION_TOKEN. There is no option that takes the token itself: `ps` would show it to every user of the host' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l password-command -d 'A command whose first line of output is the password (e.g. "pass show crm")' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l password-command-timeout -d 'Seconds the password command may take before it is stopped [default: the profile\'s password_command_timeout, else 60]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l request-timeout -d 'Seconds to wait for a whole answer' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l log-file -d 'Where the diagnostic log goes (it never goes to the terminal)' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l config -d 'The config file [default: $XDG_CONFIG_HOME/tokendesk/config.toml]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l profile -d 'A [profiles.NAME] of the config file [default: its default_profile]' -r
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l ca-cert -d 'A PEM file with a private CA to trust beside the system\'s certificates' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l audit-log -d 'Where actions are recorded [default: $XDG_STATE_HOME/tokendesk/audit.jsonl]' -r -F
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l color -d 'Colours in the console; without them (never, or auto with NO_COLOR set) bold, reverse and underline say the same [default: the config\'s color, else auto]' -r -f -a "auto\t'Colour unless `NO_COLOR` is set and not empty'
always\t''
never\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l clipboard -d 'How y, Y and c copy: osc52 (to the clipboard of the terminal on your desk, through SSH and tmux) or off [default: the config\'s clipboard, else osc52]' -r -f -a "osc52\t'The OSC 52 escape sequence, through SSH and tmux'
off\t'No copying: `y`, `Y` and `c` say it is off'"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l theme -d 'The console\'s colours for a light or a dark background, or auto: the terminal is asked for its background colour after the first frame, and dark holds until it answers [default: the profile\'s theme, else the config\'s, else auto]' -r -f -a "auto\t'The terminal\'s own background, as it answers when asked (OSC 11); dark until it answers, and for good if it never does'
light\t''
dark\t''"
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l demo -d 'Run against the built-in CRM.COM simulator with demo data: nothing to set up'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l read-only -d 'Refuse every change: tokens can be read, never deactivated, re-activated or deleted'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l allow-http -d 'Allow plain http:// to a host that is not this machine. Deliberately not settable from the config file or the environment: it is a choice made each time'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l ascii -d 'Only ASCII in borders, symbols, the spinner and masks (automatic when the locale is not UTF-8)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -l mouse -d 'The mouse in the console: the wheel scrolls, a click selects, a double click opens. Off unless asked for, so the terminal\'s own text selection works; Ctrl-t switches it at run time [default: the profile\'s mouse, else the config\'s, else off]'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -s h -l help -d 'Print help'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "show" -d 'Show one access token'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "list" -d 'List the access tokens of an accounts receivable or a rewards participant'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "deactivate" -d 'Deactivate an EFFECTIVE access token (set_as_not_effective)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "activate" -d 'Re-activate a NOT_EFFECTIVE access token (set_as_effective)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "delete" -d 'Delete a NOT_EFFECTIVE access token. This cannot be undone'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "simulate" -d 'Run the CRM.COM simulator on its own until Ctrl-C'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "profiles" -d 'List the config file\'s profiles'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "audit" -d 'Show the audit log: who did what to which token, and how it ended'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "recent" -d 'List the tokens opened lately in the console, newest first (never a pass code)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "man" -d 'Print the manual page, as the packages install it (read it with: tokendesk man | man -l -)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "completions" -d 'Print the shell completion script, as the packages install it'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand help; and not __fish_seen_subcommand_from show list deactivate activate delete simulate profiles audit recent man completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tokendesk -n "__fish_tokendesk_using_subcommand completions" -f -a "bash zsh fish"
