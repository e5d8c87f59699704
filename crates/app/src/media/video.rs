//! Video, audio and animated GIFs, read by ffprobe and converted by ffmpeg as Mastodon
//! converts them: video and GIFs to H.264 MP4 (GIFs silent, as `gifv`), audio to MP3,
//! every piece of metadata left behind; a video's first frame becomes its preview and
//! blurhash. Without the two programs these uploads are refused; pictures need neither.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use ::media::{AvFormat, ImageLimits, MediaError, ProcessedImage};
use domain::MediaKind;
use domain::limits::{VIDEO_FRAME_RATE_LIMIT, VIDEO_MATRIX_LIMIT};
use serde_json::Value;
use tokio::process::Command;

use crate::App;

/// The longest a probe or a conversion may run.
const RUN_LIMIT: Duration = Duration::from_secs(5 * 60);
/// The most of a program's complaints kept for the log.
const STDERR_KEPT: usize = 300;
/// The largest converted file (`-fs`): Mastodon's largest upload.
const OUTPUT_LIMIT: &str = "103809024";

/// An upload as converted.
#[derive(Debug)]
pub(crate) struct ProcessedAv {
    pub kind: MediaKind,
    pub file: Vec<u8>,
    pub extension: &'static str,
    pub content_type: &'static str,
    /// The first frame, processed as a picture (video and GIFs only).
    pub poster: Option<ProcessedImage>,
    pub duration_ms: Option<i64>,
    pub frame_rate: Option<String>,
}

/// The two programs, if both answer.
pub(crate) async fn tools(app: &App) -> Option<&(PathBuf, PathBuf)> {
    app.media_tools()
        .get_or_init(|| async {
            let (ffmpeg, ffprobe) = (app.config().ffmpeg.clone(), app.config().ffprobe.clone());
            for program in [&ffmpeg, &ffprobe] {
                let answered = Command::new(program).arg("-version").stdout(Stdio::null()).stderr(Stdio::null()).status();
                if !matches!(answered.await, Ok(status) if status.success()) {
                    tracing::info!(program = %program.display(), "not found: video, audio and animated GIFs are refused");
                    return None;
                }
            }
            Some((ffmpeg, ffprobe))
        })
        .await
        .as_ref()
}

/// Converts an upload (`gif`: an animated GIF).
///
/// ffmpeg is told which demuxer to use (the one the bytes were sniffed as) and may read
/// only local files: left to guess, it would follow a playlist hidden in an upload and
/// fetch what it names, outside the guarded client.
pub(crate) async fn process(app: &App, bytes: Vec<u8>, gif: bool) -> Result<ProcessedAv, MediaError> {
    let (ffmpeg, ffprobe) = tools(app).await.ok_or(MediaError::NeedsFfmpeg)?;
    let demuxer = match (gif, ::media::sniff_av(&bytes)) {
        (true, _) => "gif",
        (false, Some(AvFormat::IsoMedia)) => "mov",
        (false, Some(AvFormat::Matroska)) => "matroska",
        (false, Some(AvFormat::Ogg)) => "ogg",
        (false, Some(AvFormat::Mp3)) => "mp3",
        (false, Some(AvFormat::Wav)) => "wav",
        (false, Some(AvFormat::Flac)) => "flac",
        (false, None) => return Err(MediaError::Unsupported),
    };
    let work = WorkDir::new()?;
    let input = work.0.join("upload");
    tokio::fs::write(&input, &bytes).await.map_err(internal)?;
    drop(bytes);
    let local_input = ["-protocol_whitelist", "file", "-f", demuxer];

    let probe = run(Command::new(ffprobe)
        .args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams"])
        .args(local_input)
        .arg(&input))
    .await?;
    let probe: Value = serde_json::from_slice(&probe).map_err(|e| MediaError::Corrupt(e.to_string()))?;
    let streams = probe["streams"].as_array().cloned().unwrap_or_default();
    let is = |s: &&Value, kind: &str| s["codec_type"] == kind && s["disposition"]["attached_pic"] != 1;
    let video = streams.iter().find(|s| is(s, "video"));
    let audio = streams.iter().find(|s| is(s, "audio"));
    let frame_rate = video.and_then(|v| v["avg_frame_rate"].as_str().or(v["r_frame_rate"].as_str()));
    if let Some(video) = video {
        let side = |key: &str| video[key].as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
        let (width, height) = (side("width"), side("height"));
        if width == 0 || height == 0 {
            return Err(MediaError::Corrupt("the video's size cannot be read".into()));
        }
        if u64::from(width) * u64::from(height) > u64::from(VIDEO_MATRIX_LIMIT) {
            return Err(MediaError::VideoTooLarge { width, height, max: u64::from(VIDEO_MATRIX_LIMIT) });
        }
        let fps = frame_rate.map(fraction).unwrap_or(0.0);
        if fps > f64::from(VIDEO_FRAME_RATE_LIMIT) {
            return Err(MediaError::TooManyFrames(fps));
        }
    }
    let duration_ms =
        probe["format"]["duration"].as_str().and_then(|d| d.parse::<f64>().ok()).map(|d| (d * 1000.0).round() as i64);
    let kind = match (gif, video, audio) {
        (true, _, _) => MediaKind::Gifv,
        (false, Some(_), _) => MediaKind::Video,
        (false, None, Some(_)) => MediaKind::Audio,
        (false, None, None) => return Err(MediaError::Corrupt("there is no video or audio in the file".into())),
    };

    let (output, extension, content_type) = match kind {
        MediaKind::Audio => (work.0.join("out.mp3"), "mp3", "audio/mpeg"),
        _ => (work.0.join("out.mp4"), "mp4", "video/mp4"),
    };
    // The streams checked above are the ones converted.
    let index = |stream: Option<&Value>| stream.and_then(|s| s["index"].as_u64()).map(|i| format!("0:{i}"));
    let mut convert = Command::new(ffmpeg);
    convert.args(["-nostdin", "-v", "error"]).args(local_input).arg("-i").arg(&input);
    convert.args(["-map_metadata", "-1", "-fflags", "+bitexact", "-fs", OUTPUT_LIMIT]);
    match kind {
        MediaKind::Audio => {
            let audio = index(audio).ok_or_else(|| MediaError::Corrupt("there is no audio".into()))?;
            convert.args(["-map", &audio, "-c:a", "libmp3lame", "-q:a", "2", "-id3v2_version", "0", "-f", "mp3"])
        }
        _ => {
            let picture = index(video).ok_or_else(|| MediaError::Corrupt("there is no video".into()))?;
            convert.args(["-map", &picture, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"]);
            convert.args(["-pix_fmt", "yuv420p"]);
            // H.264 wants even sides.
            convert.args(["-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-movflags", "+faststart"]);
            if let (MediaKind::Video, Some(sound)) = (kind, index(audio)) {
                convert.args(["-map", &sound, "-c:a", "aac", "-b:a", "128k"]);
            } else {
                convert.arg("-an");
            }
            convert.args(["-f", "mp4"])
        }
    };
    run(convert.arg("-y").arg(&output)).await?;
    let file = tokio::fs::read(&output).await.map_err(internal)?;

    let poster = match kind {
        MediaKind::Audio => None,
        _ => {
            let frame = work.0.join("poster.png");
            run(Command::new(ffmpeg)
                .args(["-nostdin", "-v", "error", "-protocol_whitelist", "file", "-f", "mov", "-i"])
                .arg(&output)
                .args(["-frames:v", "1", "-f", "image2", "-c:v", "png", "-y"])
                .arg(&frame))
            .await?;
            let frame = tokio::fs::read(&frame).await.map_err(internal)?;
            let limits = ImageLimits::default();
            Some(
                tokio::task::spawn_blocking(move || ::media::process_image(&frame, &limits))
                    .await
                    .map_err(internal)??,
            )
        }
    };
    Ok(ProcessedAv {
        kind,
        file,
        extension,
        content_type,
        poster,
        duration_ms,
        frame_rate: video.and(frame_rate).map(str::to_owned),
    })
}

/// Runs a program to its end within [`RUN_LIMIT`]; its standard output.
async fn run(command: &mut Command) -> Result<Vec<u8>, MediaError> {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
    let output = tokio::time::timeout(RUN_LIMIT, command.output())
        .await
        .map_err(|_| MediaError::Corrupt("the file took too long to convert".into()))?
        .map_err(internal)?;
    if !output.status.success() {
        // What ffmpeg says stays in the log: it could tell an uploader about this machine.
        let complaint: String = String::from_utf8_lossy(&output.stderr).chars().take(STDERR_KEPT).collect();
        tracing::info!(complaint = complaint.trim(), "ffmpeg or ffprobe refused an upload");
        return Err(MediaError::Corrupt("it cannot be read as video or audio".into()));
    }
    Ok(output.stdout)
}

/// `30000/1001` → 29.97.
fn fraction(text: &str) -> f64 {
    match text.split_once('/') {
        Some((n, d)) => match (n.parse::<f64>(), d.parse::<f64>()) {
            (Ok(n), Ok(d)) if d > 0.0 => n / d,
            _ => 0.0,
        },
        None => text.parse().unwrap_or(0.0),
    }
}

fn internal(e: impl std::fmt::Display) -> MediaError {
    MediaError::Internal(e.to_string())
}

/// A folder of its own for one conversion, removed afterwards whatever happens.
struct WorkDir(PathBuf);

impl WorkDir {
    fn new() -> Result<WorkDir, MediaError> {
        let random = domain::hex(&crate::random_bytes::<8>().map_err(internal)?);
        let path = std::env::temp_dir().join(format!("rookery-media-{random}"));
        std::fs::create_dir_all(&path).map_err(internal)?;
        Ok(WorkDir(path))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(Path::new(&self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::fraction;

    #[test]
    fn frame_rates_are_fractions() {
        assert!((fraction("30000/1001") - 29.97).abs() < 0.01);
        assert_eq!(fraction("25/1"), 25.0);
        assert_eq!(fraction("0/0"), 0.0);
        assert_eq!(fraction("x"), 0.0);
    }
}
