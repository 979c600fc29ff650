//! The instance's allocator: dlmalloc, as Rust's default on wasm32, but given memory in large
//! steps. The default asks `memory.grow` for about as much as each new chunk needs, so loading
//! a large directory grows the memory thousands of times; V8 answers each grow with a new
//! `ArrayBuffer` and counts it as external memory, and the full garbage collections that
//! follow made loading grow with the square of the directory's size. Growing by an eighth of
//! the memory (at least 1 MiB) at a time keeps the number of grows logarithmic.

use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;
use std::alloc::{GlobalAlloc, Layout};

const PAGE: usize = 64 * 1024;
const MIN_STEP: usize = 1 << 20;

/// dlmalloc's system side: `memory.grow` in geometric steps; memory is never given back.
struct GrowInSteps;

// SAFETY: `alloc` returns a fresh region that `memory.grow` just added (nothing else uses it)
// or null; the other methods refuse, as dlmalloc's own wasm32 system does.
unsafe impl dlmalloc::Allocator for GrowInSteps {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let current = wasm32::memory_size(0) * PAGE;
        let step = size.max(current / 8).max(MIN_STEP);
        // The step first; if the memory cannot grow that far, only what was asked.
        for bytes in [step, size] {
            let pages = bytes.div_ceil(PAGE);
            let previous = wasm32::memory_grow(0, pages);
            if previous != usize::MAX {
                return ((previous * PAGE) as *mut u8, pages * PAGE, 0);
            }
        }
        (ptr::null_mut(), 0, 0)
    }

    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        ptr::null_mut()
    }

    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }

    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        PAGE
    }
}

/// The global allocator of the instance.
pub struct Allocator(UnsafeCell<dlmalloc::Dlmalloc<GrowInSteps>>);

// SAFETY: wasm32-unknown-unknown without the `atomics` feature runs one thread per instance,
// so the allocator is never entered from two threads.
unsafe impl Sync for Allocator {}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(dlmalloc::Dlmalloc::new_with_allocator(
    GrowInSteps,
)));

// SAFETY: each method forwards to dlmalloc, which upholds `GlobalAlloc`'s contract; the
// single thread (above) makes the exclusive access sound. Like std's wasm32 allocator, an
// allocation panicking inside cannot re-enter: dlmalloc does not allocate.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).malloc(layout.size(), layout.align())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).calloc(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size)
    }
}
