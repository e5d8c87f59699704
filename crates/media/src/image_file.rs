//! An uploaded picture decoded within limits, turned upright, scaled, written out
//! afresh without metadata, with a preview and a blurhash.

use std::io::Cursor;

use image::codecs::gif::GifDecoder;
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageReader, Limits};

use crate::{Format, ImageLimits, MediaError, sniff};

/// The longest side a JPEG can have.
const MAX_JPEG_SIDE: u32 = 65_535;
/// JPEG quality of written files: Mastodon's default is 90 for originals.
const JPEG_QUALITY: u8 = 90;
/// The blurhash is computed from a picture this small: it only keeps a few colours.
const BLURHASH_SIDE: u32 = 64;
/// Mastodon's blurhash components (x, y).
const BLURHASH_COMPONENTS: (u32, u32) = (4, 4);

/// A picture's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimensions {
    pub width: u32,
    pub height: u32,
}

impl Dimensions {
    pub fn aspect(self) -> f64 {
        f64::from(self.width) / f64::from(self.height)
    }

    fn pixels(self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }

    /// The largest size in proportion that holds at most `max` pixels.
    fn fitted(self, max: u64) -> Dimensions {
        if self.pixels() <= max {
            return self;
        }
        let scale = (max as f64 / self.pixels() as f64).sqrt();
        let side = |n: u32| ((f64::from(n) * scale).floor() as u32).max(1);
        Dimensions { width: side(self.width), height: side(self.height) }
    }
}

/// What is kept of an uploaded picture.
#[derive(Debug)]
pub struct ProcessedImage {
    pub format: Format,
    pub original: Vec<u8>,
    pub original_size: Dimensions,
    pub preview_format: Format,
    pub preview: Vec<u8>,
    pub preview_size: Dimensions,
    pub blurhash: String,
}

/// Processes an uploaded picture. Static GIFs become PNG and WebP becomes JPEG (PNG
/// with transparency), which every app shows; JPEG and PNG stay what they are.
pub fn process_image(bytes: &[u8], limits: &ImageLimits) -> Result<ProcessedImage, MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge(limits.max_bytes));
    }
    let format = sniff(bytes).ok_or(MediaError::Unsupported)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.decoder_format());
    reader.limits(decoder_limits(limits));
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    let size = Dimensions { width, height };
    if width == 0 || height == 0 {
        return Err(MediaError::Corrupt("the image has no pixels".into()));
    }
    if size.pixels() > limits.max_pixels {
        return Err(MediaError::TooManyPixels { width, height, max: limits.max_pixels });
    }
    // A damaged EXIF block only loses the orientation, as other readers do.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    if format == Format::Gif && is_animated(bytes, limits)? {
        return Err(MediaError::AnimatedNeedsVideo);
    }
    let mut picture = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    picture.apply_orientation(orientation);

    let picture = scaled(picture, limits.original_pixels);
    let opaque = is_opaque(&picture);
    let stored_format = match format {
        Format::Jpeg => Format::Jpeg,
        Format::Webp if opaque => Format::Jpeg,
        Format::Png | Format::Gif | Format::Webp => Format::Png,
    };
    let original = encode(&picture, stored_format)?;
    let original_size = Dimensions { width: picture.width(), height: picture.height() };

    let small = original_size.fitted(limits.preview_pixels);
    let preview_picture = picture.thumbnail_exact(small.width, small.height);
    let preview_format = if opaque && small.width <= MAX_JPEG_SIDE && small.height <= MAX_JPEG_SIDE {
        Format::Jpeg
    } else {
        Format::Png
    };
    let preview = encode(&preview_picture, preview_format)?;
    let blurhash = blurhash_of(&preview_picture)?;
    Ok(ProcessedImage {
        format: stored_format,
        original,
        original_size,
        preview_format,
        preview,
        preview_size: small,
        blurhash,
    })
}

/// Limits the decoder's own allocations too: a few bytes a pixel at the largest size,
/// so a file lying about its size cannot make it take more.
fn decoder_limits(limits: &ImageLimits) -> Limits {
    let mut decoder_limits = Limits::default();
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 * 1024 * 1024));
    decoder_limits
}

fn is_animated(bytes: &[u8], limits: &ImageLimits) -> Result<bool, MediaError> {
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(corrupt)?;
    decoder.set_limits(decoder_limits(limits)).map_err(corrupt)?;
    let mut frames = decoder.into_frames();
    let mut count = 0;
    while count < 2 {
        match frames.next() {
            Some(frame) => frame.map(|_| count += 1).map_err(corrupt)?,
            None => break,
        }
    }
    Ok(count > 1)
}

/// Whether every pixel is opaque: decoders give GIFs an alpha channel whether or not
/// any pixel is transparent.
fn is_opaque(picture: &DynamicImage) -> bool {
    match picture {
        _ if !picture.color().has_alpha() => true,
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().all(|p| p[3] == u8::MAX),
        other => other.to_rgba16().pixels().all(|p| p[3] == u16::MAX),
    }
}

/// Scaled down by averaging the pixels each new one covers: for reductions this keeps
/// about the sharpness of a triangle filter at a fraction of its time and memory (that
/// one works on a floating-point copy, 12 bytes a pixel).
fn scaled(picture: DynamicImage, max_pixels: u64) -> DynamicImage {
    let size = Dimensions { width: picture.width(), height: picture.height() };
    let fitted = size.fitted(max_pixels);
    if fitted == size { picture } else { picture.thumbnail_exact(fitted.width, fitted.height) }
}

fn encode(picture: &DynamicImage, format: Format) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let written = match format {
        Format::Jpeg => {
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&DynamicImage::from(picture.to_rgb8()))
        }
        _ => picture.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png),
    };
    written.map_err(|e| MediaError::Internal(e.to_string()))?;
    Ok(out)
}

fn blurhash_of(picture: &DynamicImage) -> Result<String, MediaError> {
    let tiny = picture.thumbnail(BLURHASH_SIDE, BLURHASH_SIDE).to_rgba8();
    let (x, y) = BLURHASH_COMPONENTS;
    blurhash::encode(x, y, tiny.width(), tiny.height(), tiny.as_raw()).map_err(|e| MediaError::Internal(e.to_string()))
}

fn corrupt(e: image::ImageError) -> MediaError {
    match e {
        image::ImageError::Limits(_) => MediaError::Corrupt("the image needs more memory than allowed".into()),
        image::ImageError::Unsupported(u) => MediaError::Corrupt(format!("an unsupported variant: {u}")),
        other => MediaError::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests;
