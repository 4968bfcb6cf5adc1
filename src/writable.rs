//! Whether a caller's bytes may be written, known without a system call for the memory callers
//! pass in practice (deviation R3: audit_rule_fieldpair_data overwrites the operator in the
//! caller's `const char *` pair, as the original does, but never where that would crash).
//!
//! An address is classified by where it lies:
//! - **read-only**: in a loaded object's PT_LOAD segment without write permission (code, string
//!   literals, .rodata) or in its PT_GNU_RELRO range (made read-only after relocation), each
//!   widened to whole pages;
//! - **writable**: in the calling thread's stack between the current frame and the stack's top,
//!   in the brk heap (from the initial program break to the current one), or in a loaded
//!   object's writable PT_LOAD segment outside the above;
//! - **unknown**: anything else (mmap'd memory, other threads' stacks, a heap of another malloc
//!   arena): the caller asks the kernel (`clear_operator`'s probe).
//!
//! Why this never crashes where the probe would not, and is never worse than the original:
//! the original writes the NULs unconditionally. Where this says writable, we write, as the
//! original would, so a wrong "writable" can at worst crash where the original crashes too;
//! it can only be wrong for a page the host itself made read-only with mprotect (or mapped
//! over with MAP_FIXED) inside its stack, its brk heap or an object's writable data. Where
//! this says read-only, we do not write: wrong only for a page the host made writable inside
//! an object's read-only segments (or the partial page at their edges), where the operator is
//! then left in place, a difference in the string the caller sees but never a crash. Every
//! read-only mapping made any other way (a string literal, .rodata, RELRO, mmap with
//! PROT_READ, mprotect anywhere else) is either classified read-only or asked of the kernel.
//!
//! The loaded objects are listed once (dl_iterate_phdr) and listed again when the loader's
//! counts of loads and unloads (dlpi_adds, dlpi_subs) change, which is checked at each use, so
//! an object loaded or unloaded since (its pages reused) is never judged from a stale list.
//! Nothing here waits: the list's lock is only tried (a contended, poisoned or, after fork,
//! orphaned lock gives "unknown"), and failing to allocate gives "unknown".

use std::cell::Cell;
use std::ffi::{c_int, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use linux_audit::cancel::Section;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Memory {
    Writable,
    ReadOnly,
    Unknown,
}

/// Where `at..at + len` (within one page, `len` ≥ 1) lies.
#[inline]
pub(crate) fn classify(at: usize, len: usize) -> Memory {
    let end = at.saturating_add(len);
    if on_this_stack(at, end) {
        return Memory::Writable;
    }
    elsewhere(at, end)
}

/// [`classify`] for what is not on this stack: the brk heap, the loaded objects, or unknown.
#[cold]
#[inline(never)]
fn elsewhere(at: usize, end: usize) -> Memory {
    if in_brk_heap(at, end) {
        return Memory::Writable;
    }
    in_objects(at, end)
}

/// The main thread's stack (the mapping that holds the program's name, AT_EXECFN, at its top):
/// its lowest address when read (it only grows down) and one past its highest; 0 before it was
/// read, 1 if it could not be. Process-wide, so the main thread's calls need no thread-local
/// (whose first use allocates in the caller's heap).
static MAIN_STACK_LOW: AtomicUsize = AtomicUsize::new(0);
static MAIN_STACK_HIGH: AtomicUsize = AtomicUsize::new(0);

/// Runs `f`, leaving the caller's errno as it was (the pair functions set the original's).
fn keeping_errno<T>(f: impl FnOnce() -> T) -> T {
    let saved = crate::errno();
    let result = f();
    crate::set_errno(saved);
    result
}

thread_local! {
    /// Another thread's stack as pthread_getattr_np describes it: its lowest address and one
    /// past its highest; (0, 0) before it was asked, (1, 1) if it could not be had.
    static STACK: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Whether `at..end` lies between this function's frame and the top of the stack this frame is
/// on, the main thread's or the calling thread's own: the frames of our callers, all of it the
/// stack's one writable mapping. Nothing when this frame is on neither (a signal stack, a
/// coroutine's stack elsewhere). Inlined: on the main thread, once its stack is known, two
/// loads and compares.
#[inline(always)]
pub(crate) fn on_this_stack(at: usize, end: usize) -> bool {
    let marker = 0u8;
    let here = std::ptr::from_ref(std::hint::black_box(&marker)).addr();
    // High is 0 before the main thread's stack was read (low is stored first), both are 1 if it
    // could not be: `here` is then outside.
    let high = MAIN_STACK_HIGH.load(Ordering::Acquire);
    let low = MAIN_STACK_LOW.load(Ordering::Relaxed);
    if low <= here && here < high {
        return here <= at && end <= high;
    }
    on_other_stack(here, at, end)
}

/// [`on_this_stack`] before the main thread's stack is known, or on another thread's stack.
#[cold]
#[inline(never)]
fn on_other_stack(here: usize, at: usize, end: usize) -> bool {
    if MAIN_STACK_HIGH.load(Ordering::Acquire) == 0 {
        let (l, h) = keeping_errno(main_stack).unwrap_or((1, 1));
        MAIN_STACK_LOW.store(l, Ordering::Relaxed);
        MAIN_STACK_HIGH.store(h, Ordering::Release);
        if l <= here && here < h {
            return here <= at && end <= h;
        }
    }
    let (low, high) = match STACK.get() {
        (0, 0) => {
            let bounds = keeping_errno(thread_stack).unwrap_or((1, 1));
            STACK.set(bounds);
            bounds
        }
        known => known,
    };
    low <= here && here < high && here <= at && end <= high
}

/// The main thread's stack: the mapping around AT_EXECFN, from /proc/self/maps read into a
/// buffer on the stack (pthread_getattr_np reads it with stdio, whose buffers would stay behind
/// in the caller's heap).
fn main_stack() -> Option<(usize, usize)> {
    // SAFETY: getauxval has no preconditions.
    mapping_around(unsafe { libc::getauxval(libc::AT_EXECFN) } as usize)
}

/// The calling thread's stack bounds as pthread_getattr_np reports them (asked once per
/// thread).
fn thread_stack() -> Option<(usize, usize)> {
    // For the main thread (on a stack that grew beyond what main_stack read) glibc reads
    // /proc/self/maps: cancellation points.
    let _no_cancellation = Section::guard();
    let mut attr = std::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: pthread_getattr_np initialises `attr` when it succeeds; it is destroyed after.
    unsafe {
        if libc::pthread_getattr_np(libc::pthread_self(), attr.as_mut_ptr()) != 0 {
            return None;
        }
        let (mut addr, mut size) = (std::ptr::null_mut::<c_void>(), 0usize);
        let rc = libc::pthread_attr_getstack(attr.as_ptr(), &mut addr, &mut size);
        libc::pthread_attr_destroy(attr.as_mut_ptr());
        (rc == 0 && !addr.is_null()).then(|| (addr.addr(), addr.addr().saturating_add(size)))
    }
}

/// The bounds of the writable mapping that holds `addr`, from /proc/self/maps.
fn mapping_around(addr: usize) -> Option<(usize, usize)> {
    if addr == 0 {
        return None;
    }
    // A file read: cancellation points.
    let _no_cancellation = Section::guard();
    // SAFETY: a path and flags.
    let fd = unsafe { libc::open(c"/proc/self/maps".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    let mut lines = MapsParser::default();
    let mut buf = [0u8; 2048];
    let found = loop {
        // SAFETY: `buf` has `buf.len()` writable bytes.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 && crate::errno() == libc::EINTR {
            continue;
        }
        if n <= 0 {
            break None;
        }
        if let Some(found) = buf.get(..n as usize).unwrap_or_default().iter().find_map(|&b| lines.feed(b, addr)) {
            break Some(found);
        }
    };
    // SAFETY: our own descriptor.
    unsafe { libc::close(fd) };
    found
}

/// Reads /proc/self/maps a byte at a time: "start-end perms ..." per line, in hex.
#[derive(Default)]
struct MapsParser {
    /// 0: the start, 1: the end, 2: the permissions, 3: the rest of the line.
    field: u8,
    at: usize,
    start: usize,
    end: usize,
    writable: bool,
}

impl MapsParser {
    /// Takes one byte; at the end of the line of a writable mapping holding `addr`, its bounds.
    fn feed(&mut self, b: u8, addr: usize) -> Option<(usize, usize)> {
        match (self.field, b) {
            (_, b'\n') => {
                let line = std::mem::take(self);
                return (line.field == 3 && line.writable && line.start <= addr && addr < line.end)
                    .then_some((line.start, line.end));
            }
            (0, b'-') | (1 | 2, b' ') => {
                self.field += 1;
                self.at = 0;
            }
            (0 | 1, _) => {
                let digit = (b as char).to_digit(16).unwrap_or(0) as usize;
                let value = if self.field == 0 { &mut self.start } else { &mut self.end };
                *value = value.wrapping_shl(4) | digit;
            }
            (2, _) => {
                if self.at == 1 {
                    self.writable = b == b'w';
                }
                self.at += 1;
            }
            _ => {}
        }
        None
    }
}

/// The initial program break (the start of the brk heap): 0 before it was read, usize::MAX
/// if it could not be.
static HEAP_START: AtomicUsize = AtomicUsize::new(0);

/// Whether `at..end` lies in the brk heap, which the kernel maps readable and writable.
fn in_brk_heap(at: usize, end: usize) -> bool {
    let mut start = HEAP_START.load(Ordering::Relaxed);
    if start == 0 {
        start = keeping_errno(initial_break).unwrap_or(usize::MAX);
        HEAP_START.store(start, Ordering::Relaxed);
    }
    if start == usize::MAX || at < start {
        return false;
    }
    // SAFETY: sbrk(0) only reads the current break (glibc keeps it: no system call).
    let current = unsafe { libc::sbrk(0) }.addr();
    current != usize::MAX && end <= current
}

/// start_brk, field 47 of /proc/self/stat (Linux 3.5 on).
fn initial_break() -> Option<usize> {
    let _no_cancellation = Section::guard();
    // 52 numbers of at most 20 digits and the command name (at most 15 bytes) fit.
    let mut stat = [0u8; 4096];
    let mut len = 0;
    // SAFETY: a path literal; no pointer is kept.
    let fd = unsafe { libc::open(c"/proc/self/stat".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    while let Some(rest) = stat.get_mut(len..).filter(|rest| !rest.is_empty()) {
        // SAFETY: `rest` has `rest.len()` writable bytes.
        let n = unsafe { libc::read(fd, rest.as_mut_ptr().cast(), rest.len()) };
        if n < 0 && crate::errno() == libc::EINTR {
            continue;
        }
        if n <= 0 {
            break;
        }
        len += n as usize;
    }
    // SAFETY: our own descriptor.
    unsafe { libc::close(fd) };
    let stat = stat.get(..len)?;
    // The fields after the command name, which is in parentheses and may hold anything.
    let after = stat.get(stat.iter().rposition(|&b| b == b')')? + 1..)?;
    let field = after.split(|&b| b == b' ').filter(|f| !f.is_empty()).nth(47 - 3)?;
    let start: usize = std::str::from_utf8(field).ok()?.trim().parse().ok()?;
    (start != 0).then_some(start)
}

/// The loaded objects' segments, as of the loader's counts of loads and unloads.
struct Objects {
    /// dlpi_adds and dlpi_subs when listed; None before the first listing or after a failed one.
    counts: Option<(u64, u64)>,
    /// Page-aligned ranges never to be written: read-only segments and RELRO.
    read_only: Vec<(usize, usize)>,
    /// Writable segments (exact bounds); the read-only ranges take precedence.
    writable: Vec<(usize, usize)>,
}

static OBJECTS: Mutex<Objects> = Mutex::new(Objects { counts: None, read_only: Vec::new(), writable: Vec::new() });

fn in_objects(at: usize, end: usize) -> Memory {
    let Ok(mut objects) = OBJECTS.try_lock() else { return Memory::Unknown };
    let mut listing = Listing { objects: &mut objects, page: page_size(), checked: false, failed: false };
    // SAFETY: the callback gets `listing` back as its data, and nothing else holds it.
    keeping_errno(|| unsafe { libc::dl_iterate_phdr(Some(list_object), (&raw mut listing).cast()) });
    if listing.failed {
        objects.counts = None;
        return Memory::Unknown;
    }
    let overlaps = |&(s, e): &(usize, usize)| at < e && s < end;
    if objects.read_only.iter().any(overlaps) {
        Memory::ReadOnly
    } else if objects.writable.iter().any(|&(s, e)| s <= at && end <= e) {
        Memory::Writable
    } else {
        Memory::Unknown
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf reads the auxiliary vector.
    match unsafe { libc::sysconf(libc::_SC_PAGESIZE) } {
        n if n > 0 => n as usize,
        _ => 4096,
    }
}

/// dl_iterate_phdr's state: the list being checked or rebuilt.
struct Listing<'a> {
    objects: &'a mut Objects,
    page: usize,
    /// The first object was seen (the counts compared).
    checked: bool,
    /// An allocation failed: the list is incomplete.
    failed: bool,
}

/// dl_iterate_phdr's callback: on the first object, stops (1) if the loader's counts are the
/// listed ones, else starts the list afresh; adds each object's segments. Never unwinds.
unsafe extern "C" fn list_object(info: *mut libc::dl_phdr_info, _size: usize, data: *mut c_void) -> c_int {
    // SAFETY: `data` is the Listing that in_objects passed, `info` the loader's description
    // of one object, valid during the call.
    let (listing, info) = unsafe { (&mut *data.cast::<Listing>(), &*info) };
    if !listing.checked {
        listing.checked = true;
        let counts = (info.dlpi_adds, info.dlpi_subs);
        if listing.objects.counts == Some(counts) {
            return 1;
        }
        listing.objects.counts = Some(counts);
        listing.objects.read_only.clear();
        listing.objects.writable.clear();
    }
    let phdrs: &[libc::Elf64_Phdr] = if info.dlpi_phdr.is_null() {
        &[]
    } else {
        // SAFETY: the loader's program headers of the object, dlpi_phnum of them.
        unsafe { std::slice::from_raw_parts(info.dlpi_phdr, usize::from(info.dlpi_phnum)) }
    };
    let page = listing.page;
    for ph in phdrs {
        let start = (info.dlpi_addr as usize).wrapping_add(ph.p_vaddr as usize);
        let end = start.wrapping_add(ph.p_memsz as usize);
        let (list, range) = match ph.p_type {
            libc::PT_LOAD if ph.p_flags & libc::PF_W != 0 => (&mut listing.objects.writable, (start, end)),
            libc::PT_LOAD | libc::PT_GNU_RELRO => {
                let up = end.checked_add(page - 1).map_or(usize::MAX, |e| e & !(page - 1));
                (&mut listing.objects.read_only, (start & !(page - 1), up))
            }
            _ => continue,
        };
        if linux_audit::bytes::try_push(list, range).is_err() {
            listing.failed = true;
            return 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    static DATA: [u8; 8] = *b"uid=0\0\0\0";
    static mut BSS: [u8; 8] = [0; 8];

    #[test]
    fn the_processs_own_memory() {
        let local = [0u8; 16];
        assert_eq!(classify(std::hint::black_box(&local).as_ptr().addr(), 2), Memory::Writable);
        let heap = Box::new([0u8; 64]);
        // Small allocations of the main thread come from the brk heap (glibc's main arena);
        // other threads' arenas are mmap'd: either is writable or asked.
        assert_ne!(classify(heap.as_ptr().addr(), 2), Memory::ReadOnly);
        assert_eq!(classify(c"uid=0".as_ptr().addr(), 1), Memory::ReadOnly);
        assert_eq!(classify(DATA.as_ptr().addr(), 1), Memory::ReadOnly);
        assert_eq!(classify((&raw const BSS).addr(), 2), Memory::Writable);
        // SAFETY: a page of our own, unmapped after.
        unsafe {
            let page =
                libc::mmap(std::ptr::null_mut(), 4096, libc::PROT_READ, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0);
            assert_ne!(page, libc::MAP_FAILED);
            assert_eq!(classify(page.addr(), 2), Memory::Unknown);
            libc::munmap(page, 4096);
        }
    }

    /// A shared object built for the test: a pair in .rodata, one in RELRO (a constant that
    /// holds a pointer, so the loader relocates it before making it read-only) and a writable one.
    fn build_object(dir: &std::path::Path) -> std::ffi::CString {
        let source = dir.join("pairs.c");
        std::fs::write(
            &source,
            "const char rodata_pair[] = \"uid=0\";\n\
             struct relro { const void *self; char pair[8]; };\n\
             const struct relro relro_pair = { &relro_pair, \"uid=0\" };\n\
             char data_pair[] = \"uid=0\";\n",
        )
        .unwrap();
        let object = dir.join("pairs.so");
        let built = std::process::Command::new("cc")
            .args(["-shared", "-fPIC", "-O2", "-Wl,-z,relro,-z,now", "-o"])
            .arg(&object)
            .arg(&source)
            .status()
            .expect("cc");
        assert!(built.success());
        std::ffi::CString::new(object.into_os_string().into_encoded_bytes()).unwrap()
    }

    /// An object loaded after the list was made is seen (its .rodata and RELRO are read-only,
    /// never written), and once unloaded its writable data is no longer taken for writable.
    #[test]
    fn objects_loaded_and_unloaded_after_the_list_was_made() {
        let dir = std::env::temp_dir().join(format!("writable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let object = build_object(&dir);
        // The list made (warmed) before the object exists.
        assert_eq!(classify((&raw const BSS).addr(), 2), Memory::Writable);
        // SAFETY: our own object, with data symbols only.
        unsafe {
            let handle = libc::dlopen(object.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
            assert!(!handle.is_null());
            let symbol = |name: &std::ffi::CStr| libc::dlsym(handle, name.as_ptr()).cast::<u8>().cast_const();
            let (rodata, relro, data) =
                (symbol(c"rodata_pair"), symbol(c"relro_pair").wrapping_add(8), symbol(c"data_pair"));
            assert_eq!(classify(rodata.addr() + 3, 1), Memory::ReadOnly);
            assert_eq!(classify(relro.addr() + 3, 1), Memory::ReadOnly);
            assert_eq!(classify(data.addr() + 3, 1), Memory::Writable);
            // The rule builder leaves the read-only pairs alone and splits the writable one.
            let mut rule = crate::rules::audit_rule_create_data();
            for pair in [rodata, relro, data] {
                let rc = crate::rules::audit_rule_fieldpair_data(&mut rule, pair.cast(), 4);
                assert_eq!(rc, 0);
            }
            assert_eq!(std::slice::from_raw_parts(rodata, 6), b"uid=0\0");
            assert_eq!(std::slice::from_raw_parts(relro, 6), b"uid=0\0");
            assert_eq!(std::slice::from_raw_parts(data, 6), b"uid\x000\0");
            crate::rules::audit_rule_free_data(rule);
            assert_eq!(libc::dlclose(handle), 0);
            assert_ne!(classify(data.addr() + 3, 1), Memory::Writable);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn maps_lines() {
        let mut p = MapsParser::default();
        let text = b"7ffd1000-7ffd3000 r--p 00000000 00:00 0 \n7ffd3000-7ffd5000 rw-p 00000000 00:00 0   [stack]\n";
        let found: Vec<_> = text.iter().filter_map(|&b| p.feed(b, 0x7ffd4fff)).collect();
        assert_eq!(found, [(0x7ffd3000, 0x7ffd5000)]);
        let found: Vec<_> = text.iter().filter_map(|&b| p.feed(b, 0x7ffd2000)).collect();
        assert!(found.is_empty(), "read-only");
        let found: Vec<_> = text.iter().filter_map(|&b| p.feed(b, 0x7ffd5000)).collect();
        assert!(found.is_empty(), "past the end");
    }

    #[test]
    fn another_threads_stack_is_asked() {
        let local = [0u8; 16];
        let at = std::hint::black_box(&local).as_ptr().addr();
        std::thread::scope(|s| {
            s.spawn(|| assert_eq!(classify(at, 2), Memory::Unknown));
        });
        assert_eq!(classify(at, 2), Memory::Writable);
    }
}
