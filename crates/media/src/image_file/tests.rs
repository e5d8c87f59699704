use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Rgb, RgbImage, Rgba, RgbaImage};

use super::*;

/// Left half red, right half blue: where the red goes shows the rotation.
fn halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| if x < width / 2 { Rgb([250, 0, 0]) } else { Rgb([0, 0, 250]) })
}

fn encoded(picture: &DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    picture.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(&DynamicImage::from(halves(width, height)), image::ImageFormat::Jpeg)
}

/// A little-endian TIFF block with an orientation, a description and a GPS position.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"II\x2a\x00\x08\x00\x00\x00");
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x010E, 2, 13, 50); // ImageDescription, at 50
    entry(&mut t, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut t, 0x8825, 4, 1, 64); // GPS IFD, at 64
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(b"secret place\0\0");
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")); // GPSLatitudeRef
    entry(&mut t, 0x0002, 5, 3, 94); // GPSLatitude, at 94
    t.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(47u32, 1u32), (22, 1), (3700, 100)] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    assert_eq!(t.len(), 118);
    t
}

fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(2 + 6 + tiff.len()).unwrap().to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

#[test]
fn a_jpeg_is_turned_upright_and_loses_its_exif_and_gps() {
    let upload = with_exif(&jpeg(40, 20), &exif(6));
    assert!(contains(&upload, b"secret place"));
    let orientation = ImageReader::new(Cursor::new(&upload)).with_guessed_format().unwrap().into_decoder();
    assert_eq!(orientation.unwrap().orientation().unwrap(), Orientation::Rotate90, "the test file says rotate");

    let done = process_image(&upload, &ImageLimits::default()).unwrap();
    assert_eq!(done.format, Format::Jpeg);
    assert_eq!(done.original_size, Dimensions { width: 20, height: 40 });
    for file in [&done.original, &done.preview] {
        assert!(!contains(file, b"Exif"), "no EXIF block is left");
        assert!(!contains(file, b"secret place") && !contains(file, &47u32.to_le_bytes()));
        let mut decoder = ImageReader::new(Cursor::new(file)).with_guessed_format().unwrap().into_decoder().unwrap();
        assert!(decoder.exif_metadata().unwrap().is_none());
    }
    // Rotated a quarter turn clockwise, the left (red) half is on top.
    let upright = decode(&done.original).to_rgb8();
    assert!(upright.get_pixel(10, 5)[0] > 200 && upright.get_pixel(10, 5)[2] < 60, "{:?}", upright.get_pixel(10, 5));
    assert!(upright.get_pixel(10, 35)[2] > 200 && upright.get_pixel(10, 35)[0] < 60);
}

#[test]
fn large_pictures_are_scaled_and_previewed_in_proportion() {
    let limits = ImageLimits { original_pixels: 40_000, preview_pixels: 2_500, ..ImageLimits::default() };
    let done = process_image(&jpeg(400, 200), &limits).unwrap();
    assert_eq!(done.original_size, Dimensions { width: 282, height: 141 });
    assert_eq!(decode(&done.original).width(), 282);
    assert_eq!(done.preview_size, Dimensions { width: 70, height: 35 });
    assert_eq!(decode(&done.preview).height(), 35);
    assert_eq!(done.preview_format, Format::Jpeg);
    assert_eq!(done.blurhash.len(), 4 + 2 * 4 * 4, "{}", done.blurhash);
    assert!((done.original_size.aspect() - 2.0).abs() < 0.01);
}

#[test]
fn each_format_is_read_and_stored_as_one_every_app_shows() {
    let opaque = DynamicImage::from(halves(16, 8));
    let clear = DynamicImage::from(RgbaImage::from_pixel(16, 8, Rgba([0, 200, 0, 100])));
    let cases = [
        (encoded(&opaque, image::ImageFormat::Png), Format::Png, Format::Jpeg),
        (encoded(&clear, image::ImageFormat::Png), Format::Png, Format::Png),
        (encoded(&opaque, image::ImageFormat::Gif), Format::Png, Format::Jpeg),
        (encoded(&opaque, image::ImageFormat::WebP), Format::Jpeg, Format::Jpeg),
        (encoded(&clear, image::ImageFormat::WebP), Format::Png, Format::Png),
    ];
    for (upload, stored, preview) in cases {
        let done = process_image(&upload, &ImageLimits::default()).unwrap();
        assert_eq!((done.format, done.preview_format), (stored, preview), "{:?}", sniff(&upload));
        assert_eq!(sniff(&done.original), Some(stored));
        assert_eq!(decode(&done.original).width(), 16);
    }
}

#[test]
fn a_strip_too_long_for_a_jpeg_preview_gets_a_png_one() {
    let strip = DynamicImage::from(RgbImage::from_pixel(70_000, 1, Rgb([9, 9, 9])));
    let done = process_image(&encoded(&strip, image::ImageFormat::Png), &ImageLimits::default()).unwrap();
    assert_eq!((done.format, done.preview_format), (Format::Png, Format::Png));
    assert_eq!(done.preview_size, Dimensions { width: 70_000, height: 1 });
}

#[test]
fn animated_gifs_wait_for_video_support() {
    let mut gif = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
        let frame = |c: u8| image::Frame::new(RgbaImage::from_pixel(8, 8, Rgba([c, c, c, 255])));
        encoder.encode_frames([frame(0), frame(255)]).unwrap();
    }
    assert!(matches!(process_image(&gif, &ImageLimits::default()), Err(MediaError::AnimatedNeedsVideo)));
}

#[test]
fn a_picture_claiming_too_many_pixels_is_refused_before_decoding() {
    let mut bomb = jpeg(16, 16);
    // The SOF0 segment: FF C0, length, precision, then height and width.
    let sof = bomb.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    bomb[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]); // 60000 × 60000
    match process_image(&bomb, &ImageLimits::default()) {
        Err(MediaError::TooManyPixels { width: 60000, height: 60000, .. }) => {}
        other => panic!("{other:?}"),
    }
    let limits = ImageLimits { max_bytes: 100, ..ImageLimits::default() };
    assert!(matches!(process_image(&jpeg(16, 16), &limits), Err(MediaError::TooLarge(100))));
}

#[test]
fn other_files_are_refused_whatever_they_are_called() {
    for upload in [&b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"[..], b"%PDF-1.7", b"", b"\x00\x00\x00\x18ftypheic"] {
        assert!(matches!(process_image(upload, &ImageLimits::default()), Err(MediaError::Unsupported)));
    }
}

/// A few hundred broken files (cut short, bytes overwritten, both) of every format:
/// each is refused or read, none panics or hangs.
#[test]
fn broken_files_are_refused_without_panicking() {
    let picture = DynamicImage::from(halves(48, 32));
    let mut bases = vec![jpeg(48, 32), with_exif(&jpeg(48, 32), &exif(8))];
    for format in [image::ImageFormat::Png, image::ImageFormat::Gif, image::ImageFormat::WebP] {
        bases.push(encoded(&picture, format));
    }
    let limits = ImageLimits { max_pixels: 1_000_000, original_pixels: 100_000, ..ImageLimits::default() };
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let (mut refused, mut read) = (0, 0);
    for case in 0..400 {
        let mut file = bases[case % bases.len()].clone();
        if case % 3 != 1 {
            let keep = 8 + next(file.len() - 8);
            file.truncate(keep);
        }
        if case % 3 != 0 {
            for _ in 0..1 + next(8) {
                let at = next(file.len());
                file[at] = next(256) as u8;
            }
        }
        match process_image(&file, &limits) {
            Ok(done) => {
                read += 1;
                assert!(done.original_size.width > 0 && !done.original.is_empty());
            }
            Err(MediaError::Internal(e)) => panic!("case {case}: {e}"),
            Err(_) => refused += 1,
        }
    }
    assert!(refused > 100, "{refused} refused, {read} read");
}
