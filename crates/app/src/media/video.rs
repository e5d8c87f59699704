//! Video, audio and animated GIFs, read by ffprobe and converted by ffmpeg as Mastodon
//! converts them: video and GIFs to H.264 MP4 (GIFs silent, as `gifv`), audio to MP3,
//! every piece of metadata left behind; a video's first frame becomes its preview and
//! blurhash. Without the two programs these uploads are refused; pictures need neither.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use ::media::{ImageLimits, MediaError, ProcessedImage};
use domain::MediaKind;
use domain::limits::{VIDEO_FRAME_RATE_LIMIT, VIDEO_MATRIX_LIMIT};
use serde_json::Value;
use tokio::process::Command;

use crate::App;

/// The longest a probe or a conversion may run.
const RUN_LIMIT: Duration = Duration::from_secs(5 * 60);
/// The most of a program's complaints kept for the error.
const STDERR_KEPT: usize = 300;

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
pub(crate) async fn process(app: &App, bytes: Vec<u8>, gif: bool) -> Result<ProcessedAv, MediaError> {
    let (ffmpeg, ffprobe) = tools(app).await.ok_or(MediaError::NeedsFfmpeg)?;
    let work = WorkDir::new()?;
    let input = work.0.join("upload");
    tokio::fs::write(&input, &bytes).await.map_err(internal)?;
    drop(bytes);

    let probe = run(Command::new(ffprobe)
        .args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams"])
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
    let mut convert = Command::new(ffmpeg);
    convert.args(["-nostdin", "-v", "error", "-i"]).arg(&input).args(["-map_metadata", "-1", "-fflags", "+bitexact"]);
    match kind {
        MediaKind::Audio => {
            convert.args(["-vn", "-c:a", "libmp3lame", "-q:a", "2", "-id3v2_version", "0", "-f", "mp3"])
        }
        _ => {
            convert
                .args(["-map", "0:v:0", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]);
            // H.264 wants even sides.
            convert.args(["-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-movflags", "+faststart"]);
            if kind == MediaKind::Video && audio.is_some() {
                convert.args(["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k"]);
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
                .args(["-nostdin", "-v", "error", "-i"])
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
        let complaint: String = String::from_utf8_lossy(&output.stderr).chars().take(STDERR_KEPT).collect();
        return Err(MediaError::Corrupt(complaint.trim().to_owned()));
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
