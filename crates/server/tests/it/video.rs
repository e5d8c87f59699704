//! Video, audio and animated GIFs, converted with real ffmpeg and ffprobe builds
//! (`tests/peers/ffmpeg`), and refused with a clear error without them.

use serde_json::{Value, json};

use crate::media::{ROTATED_WITH_GPS, upload};
use crate::statuses::{call, user};
use crate::support::TestServer;
use crate::support::ffmpeg::{Tools, tools};

async fn with_ffmpeg(tools: &Tools) -> TestServer {
    let (ffmpeg, ffprobe) = (tools.ffmpeg.clone(), tools.ffprobe.clone());
    TestServer::start_with(|s| {
        s.ffmpeg = Some(ffmpeg);
        s.ffprobe = Some(ffprobe);
    })
    .await
}

/// One second of test pattern with a tone, tagged with a title and a place.
async fn video(tools: &Tools) -> Vec<u8> {
    let args = [
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=1:size=64x48:rate=10",
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1",
        "-shortest",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-metadata",
        "title=secret place",
        "-metadata",
        "location=+47.3769+008.5417/",
    ];
    tools.make(&args, "mp4").await
}

async fn animated_gif(tools: &Tools) -> Vec<u8> {
    tools.make(&["-f", "lavfi", "-i", "testsrc=duration=1:size=32x32:rate=5"], "gif").await
}

async fn fetch(server: &TestServer, url: &Value) -> (String, Vec<u8>) {
    let response = server.http.get(url.as_str().unwrap()).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    (content_type, response.bytes().await.unwrap().to_vec())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn video_audio_and_animated_gifs_are_converted_without_their_metadata() {
    let tools = tools().await;
    let server = with_ffmpeg(tools).await;
    let alice = user(&server, "alice").await;

    let input = video(tools).await;
    assert!(contains(&input, b"secret place"), "the input carries what must go");
    let (status, media) = upload(&server, &alice, 1, "clip.mp4", &input).await;
    assert_eq!(status, 200, "{media}");
    assert_eq!(media["type"], "video");
    assert_eq!(media["meta"]["original"]["width"], 64);
    assert_eq!(media["meta"]["original"]["frame_rate"], "10/1");
    assert_eq!(media["meta"]["fps"], 10);
    let duration = media["meta"]["duration"].as_f64().unwrap();
    assert!((0.9..1.2).contains(&duration), "{duration}");
    assert!(media["blurhash"].as_str().is_some_and(|b| !b.is_empty()));
    let (content_type, file) = fetch(&server, &media["url"]).await;
    assert_eq!(content_type, "video/mp4");
    let tail = server.http.get(media["url"].as_str().unwrap()).header("range", format!("bytes={}-", file.len() - 100));
    let tail = tail.send().await.unwrap();
    assert_eq!((tail.status().as_u16(), tail.headers()["content-length"].to_str().unwrap()), (206, "100"));
    assert_eq!(tail.bytes().await.unwrap().as_ref(), &file[file.len() - 100..], "a range read from the disk");
    assert!(!contains(&file, b"secret place") && !contains(&file, b"47.3769"), "metadata is gone");
    let probed = tools.probe(&file).await;
    let codecs: Vec<&str> =
        probed["streams"].as_array().unwrap().iter().map(|s| s["codec_name"].as_str().unwrap()).collect();
    assert_eq!(codecs, ["h264", "aac"]);
    let (poster_type, _) = fetch(&server, &media["preview_url"]).await;
    assert_eq!(poster_type, "image/jpeg", "the first frame is the preview");
    let body = json!({"status": "a clip", "media_ids": [media["id"]]});
    let (status, posted) = call(&server, "POST", "/api/v1/statuses", &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{posted}");
    assert_eq!(posted["media_attachments"][0]["type"], "video");

    let (status, gif) = upload(&server, &alice, 1, "moving.gif", &animated_gif(tools).await).await;
    assert_eq!(status, 200, "{gif}");
    assert_eq!(gif["type"], "gifv");
    let (content_type, file) = fetch(&server, &gif["url"]).await;
    assert_eq!(content_type, "video/mp4");
    let probed = tools.probe(&file).await;
    assert_eq!(probed["streams"].as_array().unwrap().len(), 1, "a gifv is silent");

    let wav = tools.make(&["-f", "lavfi", "-i", "sine=duration=1", "-metadata", "artist=secret artist"], "wav").await;
    assert!(contains(&wav, b"secret artist"));
    let (status, audio) = upload(&server, &alice, 1, "tone.wav", &wav).await;
    assert_eq!(status, 200, "{audio}");
    assert_eq!(audio["type"], "audio");
    assert_eq!(audio["preview_url"], Value::Null);
    assert!(audio["meta"]["length"].as_str().unwrap().starts_with("0:00:01"), "{audio}");
    let (content_type, file) = fetch(&server, &audio["url"]).await;
    assert_eq!(content_type, "audio/mpeg");
    assert!(!contains(&file, b"secret artist"));
    assert_eq!(tools.probe(&file).await["streams"][0]["codec_name"], "mp3");

    // A file that only looks like a video is refused, with ffmpeg's reason.
    let mut broken = input.clone();
    broken.truncate(64);
    let (status, refused) = upload(&server, &alice, 1, "broken.mp4", &broken).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("cannot be read as video or audio"), "{refused}");
}

/// The attachment once `GET /api/v1/media/:id` stops answering 206.
async fn when_processed(server: &TestServer, token: &str, id: &Value) -> (u16, Value) {
    let path = format!("/api/v1/media/{}", id.as_str().unwrap());
    for _ in 0..300 {
        let (status, media) = call(server, "GET", &path, token, None).await;
        if status != 206 {
            return (status, media);
        }
        assert_eq!(media["url"], Value::Null, "no file while processing");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("still processing after 15 s");
}

#[tokio::test]
async fn v2_converts_after_answering_and_apps_poll_until_it_is_done() {
    let tools = tools().await;
    let server = with_ffmpeg(tools).await;
    let alice = user(&server, "alice").await;
    let (status, pending) = upload(&server, &alice, 2, "clip.mp4", &video(tools).await).await;
    assert_eq!(status, 202, "{pending}");
    assert_eq!((&pending["url"], &pending["preview_url"]), (&Value::Null, &Value::Null));
    let early = json!({"status": "too soon?", "media_ids": [pending["id"]]});
    let (status, posted) = call(&server, "POST", "/api/v1/statuses", &alice.token, Some(early)).await;
    // Converting takes ffprobe and two ffmpeg runs, far longer than this request.
    assert_eq!(status, 422, "refused until processed: {posted}");
    assert!(posted["error"].as_str().unwrap().contains("not finished processing"), "{posted}");

    let (status, done) = when_processed(&server, &alice.token, &pending["id"]).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["type"], "video");
    assert!(done["url"].as_str().unwrap().ends_with(".mp4"));
    let body = json!({"status": "now", "media_ids": [done["id"]]});
    let (status, posted) = call(&server, "POST", "/api/v1/statuses", &alice.token, Some(body)).await;
    assert_eq!(status, 200, "{posted}");

    // What ffmpeg cannot read fails after the answer, and says why when asked.
    let mut broken = video(tools).await;
    broken.truncate(64);
    let (status, pending) = upload(&server, &alice, 2, "broken.mp4", &broken).await;
    assert_eq!(status, 202, "{pending}");
    let (status, failed) = when_processed(&server, &alice.token, &pending["id"]).await;
    assert_eq!(status, 422, "{failed}");
    assert!(!failed["error"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn without_ffmpeg_video_is_refused_with_a_clear_error_and_pictures_still_work() {
    let tools = tools().await;
    let server = TestServer::start_with(|s| {
        s.ffmpeg = Some("/nonexistent/ffmpeg".into());
        s.ffprobe = Some("/nonexistent/ffprobe".into());
    })
    .await;
    let alice = user(&server, "alice").await;
    for (name, bytes) in [("clip.mp4", video(tools).await), ("moving.gif", animated_gif(tools).await)] {
        let (status, json) = upload(&server, &alice, 2, name, &bytes).await;
        assert_eq!(status, 422, "{name}: {json}");
        assert!(json["error"].as_str().unwrap().contains("need ffmpeg and ffprobe"), "{json}");
    }
    assert_eq!(upload(&server, &alice, 2, "photo.jpg", ROTATED_WITH_GPS).await.0, 200);
}

#[tokio::test]
async fn a_video_from_another_server_is_served_from_here() {
    use crate::federation::{eventually, follow_across};
    let tools = tools().await;
    let peer = |tools: &Tools| {
        let (ffmpeg, ffprobe) = (tools.ffmpeg.clone(), tools.ffprobe.clone());
        TestServer::start_with(move |s| {
            s.protocol = Some("http".into());
            s.allow_private_addresses = Some(true);
            s.ffmpeg = Some(ffmpeg);
            s.ffprobe = Some(ffprobe);
        })
    };
    let (a, b) = (peer(tools).await, peer(tools).await);
    let alice = user(&a, "alice").await;
    let bob = user(&b, "bob").await;
    follow_across(&a, &alice, "bob", &b).await;
    let (_, media) = upload(&b, &bob, 1, "clip.mp4", &video(tools).await).await;
    let body = json!({"status": "a clip", "media_ids": [media["id"]]});
    let (_, posted) = call(&b, "POST", "/api/v1/statuses", &bob.token, Some(body)).await;
    let seen = eventually("bob's clip at alice's", || async {
        let (_, home) = call(&a, "GET", "/api/v1/timelines/home", &alice.token, None).await;
        home.as_array().and_then(|h| h.iter().find(|s| s["uri"] == posted["uri"]).cloned())
    })
    .await;
    let shown = &seen["media_attachments"][0];
    assert_eq!(shown["type"], "video");
    assert_eq!(shown["preview_url"], Value::Null);
    assert!(shown["url"].as_str().unwrap().starts_with(&a.base_url), "{shown}");
    let (content_type, here) = fetch(&a, &shown["url"]).await;
    assert_eq!(content_type, "video/mp4");
    let (_, there) = fetch(&b, &media["url"]).await;
    assert_eq!(here, there);
}
