//! The library we ship cannot take its host down by a panic or an allocation failure: it is
//! built with panic = "abort" (Cargo.toml), so the proof is that no path to an abort is linked.
//! Every panic, failed allocation or runtime abort of std ends in libc's abort(), which the
//! library would then import; a library without landing pads has no use for an unwinder's
//! personality routine either. Checked on the object as shipped (stripped), for every line.

mod common;

use std::process::Command;

use linux_audit::Line;

fn tool(args: &[&str], so: &std::path::Path) -> String {
    let out = Command::new(args[0]).args(&args[1..]).arg(so).output().expect(args[0]);
    assert!(out.status.success(), "{args:?} {}", so.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn no_line_links_a_path_to_abort() {
    for line in Line::ALL {
        let so = common::ours_for(line).join("libaudit.so.1");
        let imports = tool(&["nm", "-D", "--undefined-only"], &so);
        let aborting: Vec<&str> = imports
            .lines()
            .filter_map(|l| l.split_whitespace().last())
            .filter(|name| ["abort", "__assert_fail", "_Unwind_Resume"].contains(&name.split('@').next().unwrap()))
            .collect();
        assert!(aborting.is_empty(), "{line}: imports {aborting:?}: a panic or abort path is linked");
        let sections = tool(&["readelf", "-SW"], &so);
        assert!(!sections.contains(".gcc_except_table"), "{line}: landing pads are linked");
        // It still unwinds for pthread_cancel: glibc's forced unwind crosses the exports' frames.
        assert!(sections.contains(".eh_frame_hdr"), "{line}: no unwind tables");
        let size = std::fs::metadata(&so).unwrap().len();
        println!("{line}: no abort, no landing pads; {size} bytes");
    }
}
