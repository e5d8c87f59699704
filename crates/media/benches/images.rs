//! Pictures processed per second, and the memory it takes.
//!
//! `cargo bench -p media`: makes a 12-megapixel JPEG (4000 × 3000, a photo-like mix of
//! gradients and noise, quality 90), processes it sequentially for a few seconds
//! (decode, orient, scale to Mastodon's 3840 × 2160 pixel budget, write out, preview,
//! blurhash), then 2 and 4 at once on threads, and reports the peak resident memory
//! after each (`VmHWM`: it only grows, so each figure covers all runs so far).

use std::time::{Duration, Instant};

use image::{DynamicImage, Rgb, RgbImage};
use media::{ImageLimits, process_image};

fn photo_like(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let picture = RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state % 24) as u32;
        let r = (x * 255 / width + noise).min(255) as u8;
        let g = (y * 255 / height + noise).min(255) as u8;
        let b = ((x + y) * 255 / (width + height) + noise).min(255) as u8;
        Rgb([r, g, b])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&DynamicImage::from(picture))
        .expect("the test picture encodes");
    out
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn main() {
    let jpeg = photo_like(4000, 3000);
    let limits = ImageLimits::default();
    println!(
        "input: 4000 × 3000 JPEG, {:.1} MB; peak RSS before processing {:.0} MiB",
        jpeg.len() as f64 / 1e6,
        peak_rss_mib()
    );

    let started = Instant::now();
    let mut done = 0u32;
    while started.elapsed() < Duration::from_secs(5) || done < 3 {
        let processed = process_image(&jpeg, &limits).expect("the picture processes");
        assert!(!processed.blurhash.is_empty());
        done += 1;
    }
    let rate = f64::from(done) / started.elapsed().as_secs_f64();
    println!("one at a time: {rate:.2} pictures/s ({:.0} ms each); peak RSS {:.0} MiB", 1000.0 / rate, peak_rss_mib());

    for at_once in [2u32, 4] {
        let started = Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..at_once {
                scope.spawn(|| process_image(&jpeg, &limits).expect("the picture processes"));
            }
        });
        let rate = f64::from(at_once) / started.elapsed().as_secs_f64();
        println!("{at_once} at once: {rate:.2} pictures/s; peak RSS {:.0} MiB", peak_rss_mib());
    }
}
