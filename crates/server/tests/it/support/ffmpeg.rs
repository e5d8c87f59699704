//! Static ffmpeg and ffprobe builds (`tests/peers/ffmpeg`), installed by their own
//! script on first use: the video tests convert with them and make their inputs.

use std::path::PathBuf;

use tokio::sync::OnceCell;

pub struct Tools {
    pub ffmpeg: PathBuf,
    pub ffprobe: PathBuf,
}

pub async fn tools() -> &'static Tools {
    static TOOLS: OnceCell<Tools> = OnceCell::const_new();
    TOOLS
        .get_or_init(|| async {
            let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/ffmpeg/install.sh");
            let out = tokio::process::Command::new("bash").arg(script).output().await.expect("bash runs");
            assert!(out.status.success(), "installing ffmpeg failed: {}", String::from_utf8_lossy(&out.stderr));
            let stdout = String::from_utf8_lossy(&out.stdout);
            let lines: Vec<&str> = stdout.lines().collect();
            let [.., ffmpeg, ffprobe] = lines.as_slice() else { panic!("install.sh prints two paths: {stdout}") };
            Tools { ffmpeg: PathBuf::from(ffmpeg.trim()), ffprobe: PathBuf::from(ffprobe.trim()) }
        })
        .await
}

impl Tools {
    /// Makes a test input with ffmpeg (`args` between the inputs and the output file).
    pub async fn make(&self, args: &[&str], extension: &str) -> Vec<u8> {
        let dir = std::env::temp_dir().join(format!("rookery-ffmpeg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("input-{}.{extension}", rand_suffix()));
        let out = tokio::process::Command::new(&self.ffmpeg)
            .args(["-nostdin", "-v", "error"])
            .args(args)
            .arg("-y")
            .arg(&path)
            .output()
            .await
            .unwrap();
        assert!(out.status.success(), "ffmpeg {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        bytes
    }

    /// What ffprobe says of `bytes`'s container and streams.
    pub async fn probe(&self, bytes: &[u8]) -> serde_json::Value {
        let dir = std::env::temp_dir().join(format!("rookery-ffprobe-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("file");
        std::fs::write(&path, bytes).unwrap();
        let out = tokio::process::Command::new(&self.ffprobe)
            .args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams"])
            .arg(&path)
            .output()
            .await
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(out.status.success(), "ffprobe: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}
