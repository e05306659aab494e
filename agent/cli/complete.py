"""A Tab answered without building the parser: from the commands, options and choices that the package
build wrote into ``agent/cli/command_tree.py`` (see agent.cli.shell_files.command_tree).

The answer is the one argcomplete gives for the same line, byte for byte, and it is only given where that
is certain: command names, option names and an option's choices. Everything else (file names, positional
arguments, quoting, ``--option=value``, abbreviated or unknown words, mutually exclusive options, other
shells) gets None here, and argcomplete answers from the real parser. tests/cli/test_fast_completion.py
compares the two over every command, option and choice.
"""

from __future__ import annotations

import os

from agent.cli.tree_parse import load

TYPE_CHECKING = False  # typing itself is not imported: this runs on every Tab
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    Node = dict[str, Any]
SHELLS = ("", "bash", "zsh", "fish")  # argcomplete's protocol for these; tcsh and PowerShell go to it
WHITESPACE = " \t\r\n"  # what argcomplete's lexer splits words on
LEXED = "'\"\\#"  # quotes, escapes and comments: the lexer's to interpret
ESCAPED = "\\();<>|&!`$*?[]{} \t\n\"'"  # what argcomplete escapes with a backslash for bash and zsh


def reply(env: Mapping[str, str]) -> bool:
    """Answer the completion request in ``env`` on the shell's channel; False when argcomplete must."""
    text = answer(env)
    if text is None:
        return False
    name = env.get("_ARGCOMPLETE_STDOUT_FILENAME")
    try:
        out = open(name, "w") if name is not None else os.fdopen(8, "w")  # noqa: SIM115  # closed below
    except OSError:
        return False
    with out:
        out.write(text)
    return True


def answer(env: Mapping[str, str]) -> str | None:
    """What argcomplete would write for this request, or None where only it can tell."""
    tree = load()
    shell, ifs, dfs = (
        env.get("_ARGCOMPLETE_SHELL", ""),
        env.get("_ARGCOMPLETE_IFS", "\013"),
        env.get("_ARGCOMPLETE_DFS"),
    )
    if tree is None or env.get("_ARGCOMPLETE") != "1" or "_ARC_DEBUG" in env or shell not in SHELLS:
        return None
    if len(ifs) != 1 or (dfs and len(dfs) != 1):
        return None
    split = _split(env)
    if split is None:
        return None
    found = _complete(tree, *split)
    if found is None:
        return None
    words, display = found
    words = _quoted(words, display, shell, append_space=env.get("_ARGCOMPLETE_SUPPRESS_SPACE") != "1")
    if dfs:
        shown = {key: value.replace(ifs, " ") if value else "" for key, value in display.items()}
        words = [dfs.join((word, shown.get(word) or "")) for word in words]
    if shell == "zsh":
        words = [f"{word}:{display.get(word)}" for word in words]
    return ifs.join(words)


def _split(env: Mapping[str, str]) -> tuple[list[str], str] | None:
    """The whole words after the program and the word being completed, when plain splitting finds them."""
    try:
        line = env["COMP_LINE"][: int(env["COMP_POINT"])]
    except (KeyError, ValueError):
        return None
    breaks = set(env.get("_ARGCOMPLETE_COMP_WORDBREAKS", "")) - set(WHITESPACE)
    if any(c in LEXED or c in breaks or (c.isspace() and c not in WHITESPACE) for c in line):
        return None
    words = line.split()
    prefix = "" if not line or line[-1] in WHITESPACE else words.pop()
    if not words:  # the program's own name is being completed
        return None
    return words[1:], prefix


def _complete(tree: Node, words: list[str], prefix: str) -> tuple[list[str], dict[str, str | None]] | None:
    """The completions of ``prefix`` after ``words`` with the help shown beside each, or None."""
    node: Node | None = tree
    pending = None  # an option still waiting for its value
    for word in words:
        if pending is not None:
            if word.startswith("-"):
                return None
            pending = None
        elif word.startswith("-"):
            option = next((o for o in node["options"] if word in o[0]), None) if node else None
            if option is None or option[1] < 0:
                return None
            pending = option if option[1] == 1 else None
        else:
            node = next((sub for name, _, sub in node["commands"] if name == word), None) if node else None
            if node is None:
                return None
    if node is None:
        return None
    if pending is not None:
        _, _, choices, text, _, _ = pending
        if choices is None or prefix.startswith("-"):
            return None
        chosen = [c for c in choices if c.startswith(prefix)]
        return _unique(chosen), dict.fromkeys(chosen, text)
    if node["exclusive"] or (node["positionals"] and not prefix.startswith("-")):
        return None
    return _options_and_commands(node, prefix)


def _options_and_commands(node: Node, prefix: str) -> tuple[list[str], dict[str, str | None]]:
    display: dict[str, str | None] = {}
    found: list[str] = []
    for strings, _, _, text, shown, _ in node["options"]:
        display.update((s, text) for s in strings if s.startswith(prefix))
        if shown:
            found += [s for s in strings if s.startswith(prefix)]
    for name, text, _ in node["commands"]:
        if name.startswith(prefix):
            found.append(name)
            if text is not None:
                display[name] = text
    return _unique(found), display


def _unique(words: list[str]) -> list[str]:
    return list(dict.fromkeys(words))


def _quoted(words: list[str], display: dict[str, str | None], shell: str, *, append_space: bool) -> list[str]:
    """Escaped for the shell as argcomplete escapes them, with a space after a single finished word."""
    special = "" if shell == "fish" else ESCAPED + (":" if shell == "zsh" else "")
    out = []
    for word in words:
        escaped = word
        for char in special:
            escaped = escaped.replace(char, "\\" + char)
        if word in display:
            display[escaped] = display[word]
        out.append(escaped)
    if append_space and len(out) == 1 and out[0][-1] not in "=/:":
        out[0] += " "
    return out
