//! `orgkit`: the command-line host of the orgkit engine.
//!
//! It routes email addresses, validates directory documents and runs any operation of the JSON
//! call API against a directory file or the embedded demo directory. Exit codes: 0 on success,
//! 1 when the engine or a file refused the work, 2 for a usage error.
#![forbid(unsafe_code)]

use orgkit::{Directory, Engine, Error, ErrorCode, LoadOptions, Problem, RouteDecision};
use serde_json::Value;
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::process::ExitCode;

/// The demo directory, embedded so that every command works without a file.
const DEMO_DIRECTORY: &str = include_str!("../demo/directory.json");

/// The addresses the `demo` tour routes: at least one per decision kind.
const DEMO_EMAILS: &[&str] = &[
    "jane.doe@acme-demo.com",
    "raj.patel@eu.acme-demo.com",
    "marta.kowalski@globex-demo.io",
    "anna.schmidt@bücher.de",
    "lee.chen@globex-labs.io",
    "bill.lumbergh@initech-demo.com",
    "info@buecherwurm-demo.de",
    "someone@gmail.com",
    "gavin.belson@hooli-demo.com",
];

const USAGE: &str = "\
orgkit: route emails and validate directories with the orgkit engine

USAGE:
    orgkit route <email> [--directory FILE]
        Print the routing decision for <email> as JSON.
    orgkit validate <FILE>
        Load FILE (`-` for stdin) and print its stats, or every problem found.
    orgkit call <op> [<input-json> | -] [--directory FILE]
        Run a call-API operation; the input is inline JSON, `-` for stdin, or `{}`.
    orgkit demo
        Route a handful of example addresses on the embedded demo directory.
    orgkit --help
        Print this help.

Without --directory, route and call use the embedded demo directory.
Exit status: 0 success, 1 refused by the engine or a file, 2 usage error.";

/// Why a command did not succeed, and so how the process ends.
#[derive(Debug)]
enum CliError {
    /// The command line was wrong: print the message and usage, exit 2.
    Usage(String),
    /// The engine refused the work: print the error with its code, exit 1.
    Engine(Error),
    /// A file or stream could not be read or written: exit 1.
    Io(String),
    /// The details were printed already: exit 1.
    Reported,
}

/// The parsed command line: the positional words and the options.
#[derive(Debug, Default)]
struct Args {
    /// The command and its operands, in order.
    words: Vec<String>,
    /// The `--directory FILE` option.
    directory: Option<String>,
    /// True when `--help` or `-h` was given.
    help: bool,
}

/// Runs the command line and turns the outcome into an exit code.
fn main() -> ExitCode {
    match parse_args(std::env::args_os().skip(1)).and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => exit_for(error),
    }
}

/// Prints what `error` needs and picks the exit code.
fn exit_for(error: CliError) -> ExitCode {
    match error {
        CliError::Usage(message) => {
            warn(&format!("error: {message}\n\n{USAGE}"));
            ExitCode::from(2)
        }
        CliError::Engine(error) => {
            warn(&describe_error(&error));
            for problem in &error.problems {
                warn(&format!("  {}", describe_problem(problem)));
            }
            ExitCode::from(1)
        }
        CliError::Io(message) => {
            warn(&format!("error[io]: {message}"));
            ExitCode::from(1)
        }
        CliError::Reported => ExitCode::from(1),
    }
}

/// Splits the raw arguments into words and options; non-UTF-8 arguments are a usage error.
fn parse_args(raw: impl Iterator<Item = OsString>) -> Result<Args, CliError> {
    let mut args = Args::default();
    let mut raw = raw.map(into_utf8);
    let mut options_done = false;
    while let Some(arg) = raw.next() {
        let arg = arg?;
        if options_done || arg == "-" || !arg.starts_with('-') {
            args.words.push(arg);
        } else if arg == "--" {
            options_done = true;
        } else if arg == "--help" || arg == "-h" {
            args.help = true;
        } else if arg == "--directory" {
            let file = raw
                .next()
                .ok_or_else(|| CliError::Usage("`--directory` needs a FILE".into()))??;
            set_directory(&mut args, file)?;
        } else if let Some(file) = arg.strip_prefix("--directory=") {
            set_directory(&mut args, file.to_string())?;
        } else {
            return Err(CliError::Usage(format!("unknown option `{arg}`")));
        }
    }
    Ok(args)
}

/// Records the `--directory` option, refusing it twice.
fn set_directory(args: &mut Args, file: String) -> Result<(), CliError> {
    if args.directory.replace(file).is_some() {
        return Err(CliError::Usage("`--directory` is given twice".into()));
    }
    Ok(())
}

/// Converts one argument to UTF-8.
fn into_utf8(arg: OsString) -> Result<String, CliError> {
    arg.into_string()
        .map_err(|arg| CliError::Usage(format!("argument {arg:?} is not valid UTF-8")))
}

/// Dispatches to the command named by the first word.
fn run(args: &Args) -> Result<(), CliError> {
    if args.help {
        return emit(USAGE);
    }
    match args.words.first().map(String::as_str) {
        None | Some("help") => emit(USAGE),
        Some("route") => cmd_route(args),
        Some("validate") => cmd_validate(args),
        Some("call") => cmd_call(args),
        Some("demo") => cmd_demo(args),
        Some(other) => Err(CliError::Usage(format!("unknown command `{other}`"))),
    }
}

/// Checks the number of operands after the command word (`min..=max`).
fn operands<'a>(
    args: &'a Args,
    min: usize,
    max: usize,
    shape: &str,
) -> Result<&'a [String], CliError> {
    let operands = args.words.get(1..).unwrap_or_default();
    if operands.len() < min || operands.len() > max {
        return Err(CliError::Usage(format!("expected `orgkit {shape}`")));
    }
    Ok(operands)
}

/// Refuses `--directory` for commands that do not read one.
fn no_directory_option(args: &Args, command: &str) -> Result<(), CliError> {
    match args.directory {
        Some(_) => Err(CliError::Usage(format!(
            "`{command}` does not take `--directory`"
        ))),
        None => Ok(()),
    }
}

/// `orgkit route <email>`: prints the decision as pretty JSON.
fn cmd_route(args: &Args) -> Result<(), CliError> {
    let [email] = operands(args, 1, 1, "route <email> [--directory FILE]")? else {
        return Err(CliError::Usage("expected one email address".into()));
    };
    let directory = load_directory(args.directory.as_deref())?;
    let decision = directory.route(email).map_err(CliError::Engine)?;
    emit(&pretty(serde_json::to_string_pretty(&decision))?)
}

/// `orgkit validate <FILE>`: prints the stats, or every problem one per line.
fn cmd_validate(args: &Args) -> Result<(), CliError> {
    no_directory_option(args, "validate")?;
    let [file] = operands(args, 1, 1, "validate <FILE>")? else {
        return Err(CliError::Usage("expected one FILE".into()));
    };
    let text = read_source(file)?;
    match parse_directory(&text, &source_name(file)) {
        Ok(directory) => emit(&format!(
            "ok: {}: {}",
            source_name(file),
            stats_summary(&directory)
        )),
        Err(CliError::Engine(error)) if !error.problems.is_empty() => report_problems(&error),
        Err(other) => Err(other),
    }
}

/// Prints a validation failure: every problem on stdout, the summary on stderr.
fn report_problems(error: &Error) -> Result<(), CliError> {
    let mut lines: Vec<String> = error.problems.iter().map(describe_problem).collect();
    if error.problems_truncated {
        lines.push("(more problems were found; the list stops at the configured maximum)".into());
    }
    emit(&lines.join("\n"))?;
    warn(&describe_error(error));
    Err(CliError::Reported)
}

/// The record counts of a loaded directory, as a phrase.
fn stats_summary(directory: &Directory) -> String {
    let stats = directory.stats();
    format!(
        "{} orgs, {} domains, {} connections, {} users, {} memberships",
        stats.orgs, stats.domains, stats.connections, stats.users, stats.memberships
    )
}

/// `orgkit call <op> [<input-json> | -]`: runs one call-API operation and prints its envelope.
fn cmd_call(args: &Args) -> Result<(), CliError> {
    let operands = operands(
        args,
        1,
        2,
        "call <op> [<input-json> | -] [--directory FILE]",
    )?;
    let (op, input) = match operands {
        [op] => (op, "{}".to_string()),
        [op, input] if input == "-" => (op, read_stdin()?),
        [op, input] => (op, input.clone()),
        _ => {
            return Err(CliError::Usage(
                "expected an op and at most one input".into(),
            ))
        }
    };
    let engine = Engine::new(load_directory(args.directory.as_deref())?);
    print_envelope(&engine.call(op, &input))
}

/// Prints a call envelope (pretty when it parses); an `error` envelope fails the command.
fn print_envelope(output: &str) -> Result<(), CliError> {
    let Ok(envelope) = serde_json::from_str::<Value>(output) else {
        emit(output)?;
        return Err(CliError::Io(
            "the engine returned output that is not JSON".into(),
        ));
    };
    emit(&serde_json::to_string_pretty(&envelope).unwrap_or_else(|_| output.to_string()))?;
    match envelope.get("error") {
        None => Ok(()),
        Some(error) => {
            warn(&describe_error_value(error));
            Err(CliError::Reported)
        }
    }
}

/// `orgkit demo`: routes the example addresses on the demo directory, one line each.
fn cmd_demo(args: &Args) -> Result<(), CliError> {
    no_directory_option(args, "demo")?;
    operands(args, 0, 0, "demo")?;
    let directory = load_directory(None)?;
    let mut lines = vec![
        format!(
            "orgkit demo: the embedded directory holds {}",
            stats_summary(&directory)
        ),
        "each line: email -> decision org connection reasons".to_string(),
        String::new(),
    ];
    for email in DEMO_EMAILS {
        let decision = directory.route(email).map_err(CliError::Engine)?;
        lines.push(demo_line(email, &decision));
    }
    lines.push(String::new());
    lines.push(
        "try: orgkit route <email>   or   orgkit call org_by_slug '{\"slug\":\"acme\"}'"
            .to_string(),
    );
    emit(&lines.join("\n"))
}

/// One tour line: `email -> decision org connection reasons`.
fn demo_line(email: &str, decision: &RouteDecision) -> String {
    let org = match (&decision.org, decision.candidates.as_slice()) {
        (Some(org), _) => org.slug.clone(),
        (None, []) => "-".to_string(),
        (None, candidates) => candidates
            .iter()
            .map(|c| c.slug.as_str())
            .collect::<Vec<_>>()
            .join("|"),
    };
    let connection = match &decision.connection {
        Some(c) => format!("{} ({})", c.id, label(serde_json::to_value(c.protocol))),
        None => "-".to_string(),
    };
    let reasons: Vec<String> = decision
        .reasons
        .iter()
        .map(|r| label(serde_json::to_value(r)))
        .collect();
    format!(
        "{email:<32} -> {:<13} org={org} connection={connection} reasons={}",
        label(serde_json::to_value(decision.decision)),
        reasons.join(",")
    )
}

/// Loads the directory in `file`, or the embedded demo directory when there is none.
fn load_directory(file: Option<&str>) -> Result<Directory, CliError> {
    match file {
        Some(file) => parse_directory(&read_source(file)?, &source_name(file)),
        None => parse_directory(DEMO_DIRECTORY, "the demo directory"),
    }
}

/// Parses and validates a directory document; `name` says where it came from.
fn parse_directory(text: &str, name: &str) -> Result<Directory, CliError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        CliError::Engine(Error::new(
            ErrorCode::InvalidJson,
            format!("{name} is not valid JSON: {e}"),
        ))
    })?;
    Directory::load_json(value, &LoadOptions::default()).map_err(CliError::Engine)
}

/// How messages name a source: `stdin` for `-`, otherwise the file in backticks.
fn source_name(file: &str) -> String {
    if file == "-" {
        "stdin".to_string()
    } else {
        format!("`{file}`")
    }
}

/// Reads a whole file, or stdin for `-`.
fn read_source(file: &str) -> Result<String, CliError> {
    if file == "-" {
        return read_stdin();
    }
    std::fs::read_to_string(file).map_err(|e| CliError::Io(format!("cannot read `{file}`: {e}")))
}

/// Reads all of stdin.
fn read_stdin() -> Result<String, CliError> {
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::Io(format!("cannot read stdin: {e}")))?;
    Ok(text)
}

/// Takes the result of `serde_json::to_string_pretty`, turning a failure into an `internal` error.
fn pretty(encoded: serde_json::Result<String>) -> Result<String, CliError> {
    encoded.map_err(|e| {
        CliError::Engine(Error::new(
            ErrorCode::Internal,
            format!("could not encode the result: {e}"),
        ))
    })
}

/// The wire name of a unit enum value (`sso`, `verified_domain`, …), given its JSON encoding.
fn label(encoded: serde_json::Result<Value>) -> String {
    match encoded {
        Ok(Value::String(name)) => name,
        _ => "?".to_string(),
    }
}

/// `error[code]: message (at path)`.
fn describe_error(error: &Error) -> String {
    let at = error
        .path
        .as_ref()
        .map(|p| format!(" (at {p})"))
        .unwrap_or_default();
    format!("error[{}]: {}{at}", error.code, error.message)
}

/// Describes an `error` object from a call envelope, decoding it when it has the usual shape.
fn describe_error_value(value: &Value) -> String {
    match serde_json::from_value::<Error>(value.clone()) {
        Ok(error) => describe_error(&error),
        Err(_) => format!("error: {value}"),
    }
}

/// `path: code (reason): message`, the path `(document)` when empty.
fn describe_problem(problem: &Problem) -> String {
    let path = if problem.path.is_empty() {
        "(document)"
    } else {
        problem.path.as_str()
    };
    let reason = problem
        .reason
        .as_ref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    format!("{path}: {}{reason}: {}", problem.code, problem.message)
}

/// Writes `text` and a newline to stdout; a closed pipe ends the command quietly, never a panic.
fn emit(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            io::ErrorKind::BrokenPipe => CliError::Reported,
            _ => CliError::Io(format!("cannot write to stdout: {e}")),
        })
}

/// Writes `text` and a newline to stderr, ignoring failures (there is nowhere left to report).
fn warn(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}
