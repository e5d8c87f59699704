//! The file's type, from its first bytes.

/// The image formats accepted for upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Webp => "webp",
        }
    }

    pub(crate) fn decoder_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::Gif => image::ImageFormat::Gif,
            Format::Webp => image::ImageFormat::WebP,
        }
    }
}

/// The format the bytes are in, by their signature; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else {
        None
    }
}

/// Video and audio containers accepted for upload (processed with ffmpeg).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvFormat {
    /// MP4, QuickTime or M4A (ISO base media files).
    IsoMedia,
    /// WebM or Matroska.
    Matroska,
    Ogg,
    Mp3,
    Wav,
    Flac,
}

/// The container the bytes are in, by their signature; `None` for anything else.
pub fn sniff_av(bytes: &[u8]) -> Option<AvFormat> {
    let at = |offset: usize, signature: &[u8]| bytes.get(offset..offset + signature.len()) == Some(signature);
    if at(4, b"ftyp") {
        Some(AvFormat::IsoMedia)
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        Some(AvFormat::Matroska)
    } else if at(0, b"OggS") {
        Some(AvFormat::Ogg)
    } else if at(0, b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        Some(AvFormat::Mp3)
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        Some(AvFormat::Wav)
    } else if at(0, b"fLaC") {
        Some(AvFormat::Flac)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_signature_not_the_name() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Format::Png));
        assert_eq!(sniff(b"GIF89a..."), Some(Format::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn reads_video_and_audio_containers() {
        assert_eq!(sniff_av(b"\0\0\0\x20ftypisom\0\0"), Some(AvFormat::IsoMedia));
        assert_eq!(sniff_av(b"\x1A\x45\xDF\xA3\x9f"), Some(AvFormat::Matroska));
        assert_eq!(sniff_av(b"OggS\0\x02"), Some(AvFormat::Ogg));
        assert_eq!(sniff_av(b"ID3\x04\0"), Some(AvFormat::Mp3));
        assert_eq!(sniff_av(b"\xFF\xFB\x90\x64"), Some(AvFormat::Mp3));
        assert_eq!(sniff_av(b"RIFF\0\0\0\0WAVEfmt "), Some(AvFormat::Wav));
        assert_eq!(sniff_av(b"fLaC\0"), Some(AvFormat::Flac));
        assert_eq!(sniff_av(b"\xFF\xD8\xFF\xE0"), None, "a JPEG is a picture");
        assert_eq!(sniff_av(b"<html>"), None);
    }
}
