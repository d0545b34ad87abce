//! `hookscope-sim [--addr 127.0.0.1:0] [--key sim-key | --any-key] [--budget 100/60]`
//! Serves the simulated vendor APIs until interrupted. The default port 0 takes any free
//! one; the first line printed, `hookscope-sim listening on http://ADDR`, says which
//! (`scripts/with-sim.sh` reads it).

use std::net::SocketAddr;

#[tokio::main]
async fn main() {
    let mut addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut key = Some(hookscope_sim::DEFAULT_KEY.to_string());
    let mut budget = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--addr" => match args.next().map(|v| v.parse()) {
                Some(Ok(v)) => addr = v,
                _ => fail("--addr takes an address such as 127.0.0.1:18787"),
            },
            "--key" => match args.next() {
                Some(k) => key = Some(k),
                None => fail("--key takes a value"),
            },
            "--any-key" => key = None,
            // A vendor's rate limit per key: requests per window in seconds (`100/60`, as
            // Talkover's Standard plan), or in ms (`100/500ms`).
            "--budget" => match args
                .next()
                .as_deref()
                .and_then(hookscope_sim::Budget::parse)
            {
                Some(b) => budget = Some(b),
                None => fail("--budget takes LIMIT/SECONDS such as 100/60, or LIMIT/MSms"),
            },
            "-h" | "--help" => {
                println!(
                    "hookscope-sim [--addr 127.0.0.1:0] [--key KEY | --any-key] [--budget LIMIT/SECONDS]"
                );
                return;
            }
            other => fail(&format!("unknown argument {other}")),
        }
    }
    let (local, handle) = match hookscope_sim::spawn_with(addr, key, budget).await {
        Ok(v) => v,
        Err(e) => fail(&format!("cannot listen on {addr}: {e}")),
    };
    println!("hookscope-sim listening on http://{local}");
    tokio::select! {
        _ = handle => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("hookscope-sim: {msg}");
    std::process::exit(2)
}
