"""The lite and heavy pose models, assembled in memory from installed, hash-checked files.

No PyPI package ships `pose_landmarker_lite.task` or `pose_landmarker_heavy.task`. The npm
package `@mediapipe/pose` (Google's, Apache-2.0) ships the same three landmark networks as bare
`.tflite` files, without the metadata MediaPipe Tasks needs (how to scale the input image). A
`.task` file is a zip of a person detector and a landmark network, so a variant is built from:
- the person detector of the bundled, hash-checked full `.task` (the same in all three);
- the npm landmark network, checked against its pinned SHA-256;
- the full network's metadata block, added to it (the three share inputs and outputs).
Built the same way from the npm *full* network, this gives exactly the official full model's
landmarks (tests/test_model.py), which is what shows the assembly is right.
"""

from __future__ import annotations

import functools
import io
import os
import sys
import zipfile
from pathlib import Path

NPM_PACKAGE = "@mediapipe/pose"
# Installed by ./dev with npm (it reads this line); the files below are checked against it.
NPM_REQUIREMENT = "@mediapipe/pose@0.5.1675469404"
NPM_DIR_ENV = "POSECHECK_MEDIAPIPE_POSE"
LANDMARK_FILES = {
    "lite": ("pose_landmark_lite.tflite", "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"),
    "full": ("pose_landmark_full.tflite", "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"),
    "heavy": ("pose_landmark_heavy.tflite", "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"),
}
DETECTOR_ENTRY = "pose_detector.tflite"
LANDMARKS_ENTRY = "pose_landmarks_detector.tflite"
METADATA_NAME = b"TFLITE_METADATA"
TFLITE_ALIGNMENT = 16  # TFLite reads weights in place only when their buffers are this aligned


def npm_package_dir() -> Path:
    given = os.environ.get(NPM_DIR_ENV)
    if given:
        return Path(given).expanduser()
    return Path(sys.prefix) / "node_modules" / NPM_PACKAGE


def landmark_file(name: str) -> Path:
    return npm_package_dir() / LANDMARK_FILES[name][0]


def is_installed(name: str) -> bool:
    return landmark_file(name).is_file()


def assemble_task(name: str, full_task: Path) -> bytes:
    """The `.task` bytes of variant `name`, built from the npm network and the (verified) full task."""
    return _assemble(landmark_file(name), name, full_task)


@functools.lru_cache(maxsize=3)
def _assemble(network: Path, name: str, full_task: Path) -> bytes:
    from posecheck.io.model import ModelError, sha256_of

    if not network.is_file():
        raise ModelError(
            f"The {name} pose model comes from the npm package {NPM_PACKAGE}, which is not installed "
            f"(looked in {network.parent}). Set up with ./dev (it installs it when npm is available), "
            f"or run: npm install --prefix {sys.prefix} {NPM_REQUIREMENT}"
        )
    expected = LANDMARK_FILES[name][1]
    if sha256_of(network) != expected:
        raise ModelError(f"{network} is not the file {NPM_REQUIREMENT} ships (sha256 differs): "
                         "it is damaged or another version. Reinstall it with ./dev.")
    with zipfile.ZipFile(full_task) as official:
        detector = official.read(DETECTOR_ENTRY)
        metadata = _metadata_buffer(official.read(LANDMARKS_ENTRY))
    landmarks = _with_metadata(network.read_bytes(), metadata)
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_STORED) as task:
        for entry, data in ((DETECTOR_ENTRY, detector), (LANDMARKS_ENTRY, landmarks)):
            task.writestr(_aligned_entry(entry, bundle.tell()), data)
    return bundle.getvalue()


def _aligned_entry(name: str, header_offset: int) -> zipfile.ZipInfo:
    """A stored zip entry whose data starts on a 64-byte boundary: MediaPipe reads each network
    in place, so its weights keep the alignment they have inside the network's own bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    unpadded = header_offset + 30 + len(name.encode()) + 4  # local header, name, padding block's header
    padding = -unpadded % 64
    info.extra = (0xD935).to_bytes(2, "little") + (padding).to_bytes(2, "little") + bytes(padding)
    return info


def _metadata_buffer(model_bytes: bytes):
    from posecheck.io.mediapipe_import import mediapipe

    mediapipe()  # the package, imported without matplotlib (io/mediapipe_import.py)
    from mediapipe.tasks.metadata import schema_py_generated as schema

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))
    for entry in model.metadata or []:
        if entry.name == METADATA_NAME:
            return model.buffers[entry.buffer]
    raise ValueError("the full pose model has no TFLite metadata")


def _with_metadata(model_bytes: bytes, metadata_buffer) -> bytes:
    import flatbuffers
    from mediapipe.tasks.metadata import schema_py_generated as schema

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))
    model.buffers = [_AlignedBuffer.of(buffer) for buffer in model.buffers]
    model.buffers.append(_AlignedBuffer.of(metadata_buffer))
    entry = schema.MetadataT()
    entry.name, entry.buffer = METADATA_NAME, len(model.buffers) - 1
    model.metadata = [*(model.metadata or []), entry]
    builder = flatbuffers.Builder(len(model_bytes) + (1 << 16))
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


class _AlignedBuffer:
    """A TFLite Buffer table written with its bytes 16-byte aligned (the generated packer
    aligns them to 1 byte, and TFLite then copies every weight tensor and warns)."""

    def __init__(self, data, offset: int, size: int):
        self.data, self.offset, self.size = data, offset, size

    @classmethod
    def of(cls, buffer) -> "_AlignedBuffer":
        return cls(buffer.data, buffer.offset, buffer.size)

    def Pack(self, builder):  # noqa: N802 (the generated packer's name)
        from mediapipe.tasks.metadata import schema_py_generated as schema

        data = None
        if self.data is not None:
            payload = bytes(self.data)  # a uint8 array or a list of ints
            builder.StartVector(1, len(payload), TFLITE_ALIGNMENT)
            builder.head -= len(payload)
            builder.Bytes[builder.head:builder.head + len(payload)] = payload
            builder.vectorNumElems = len(payload)
            data = builder.EndVector()
        schema.BufferStart(builder)
        if data is not None:
            schema.BufferAddData(builder, data)
        schema.BufferAddOffset(builder, self.offset)
        schema.BufferAddSize(builder, self.size)
        return schema.BufferEnd(builder)
