//! What a sudo or shadow-utils rewrite logs: a USER_CMD record for a command run on a user's
//! behalf, then the kernel's audit status. Run as root:
//!
//!     cargo run -p linux-audit --example user_cmd -- /usr/bin/id -u
//!
//! and see the record with `ausearch -m USER_CMD -ts recent` (or in /var/log/audit/audit.log).

use linux_audit::{Socket, Terminal, UserCommand};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = if args.is_empty() { "/usr/bin/true".to_string() } else { args.join(" ") };
    let audit = Socket::open()?;
    match UserCommand::new(&command).terminal(Terminal::Own).success(true).send(&audit) {
        Ok(seq) => println!("USER_CMD for {command:?} accepted by the kernel (request {seq})"),
        Err(e) if e.audit_unavailable() => println!("this kernel has no audit support: nothing logged"),
        Err(e) => return Err(format!("logging USER_CMD: {e}").into()),
    }
    let status = audit.status().map_err(|e| format!("reading the audit status: {e}"))?;
    println!(
        "audit: {:?}, failure mode {:?}, daemon {:?}, backlog {}/{}, lost {}",
        status.enabled, status.failure, status.pid, status.backlog, status.backlog_limit, status.lost
    );
    Ok(())
}
